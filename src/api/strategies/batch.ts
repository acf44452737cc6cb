// Strategies of batch/v1: Jobs (defaults, generated selector and labels from the Job's uid,
// immutable spec parts) and CronJobs (schedule syntax, time zone, job template rules).

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, copyFrom, objAt, ensureObj, objItems, strAt, numAt, stringMapAt, setDefault, setDefaultString, clone } from './object-access.js';
import { defineStrategy, specDiffers } from './strategy.js';
import { defaultPodTemplate } from './pod-spec-defaults.js';
import { validatePodTemplateSpec } from './pod-spec-validation.js';
import { validateLabelSelector, validateLabels, validateImmutable, selectorMatches } from './object-meta.js';
import { SELECTOR_MISMATCH, templateLabels } from './workload-rules.js';
import { validateNonNegativeField, validateEnum } from './field-rules.js';
import { cronScheduleError } from '../../time/index.js';
import { podTemplateWarnings } from './pod-warnings.js';
import { jsonEqual } from '../../lang/index.js';

const MAX_INT32 = 2147483647;
const spec = FieldPath.root('spec');

export const JOB_LABELS = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  legacyControllerUid: 'controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyJobName: 'job-name',
} as const;

function defaultJobSpec(s: Obj): void {
  if (s['completions'] === undefined && s['parallelism'] === undefined) s['completions'] = 1;
  setDefault(s, 'parallelism', 1);
  setDefault(s, 'backoffLimit', s['backoffLimitPerIndex'] !== undefined && s['backoffLimitPerIndex'] !== null ? MAX_INT32 : 6);
  setDefaultString(s, 'completionMode', 'NonIndexed');
  setDefault(s, 'suspend', false);
  const failurePolicy = objAt(s, 'podFailurePolicy');
  for (const [rule] of objItems(failurePolicy, 'rules')) {
    for (const [pattern] of objItems(rule, 'onPodConditions')) setDefaultString(pattern, 'status', 'True');
  }
  setDefault(s, 'podReplacementPolicy', failurePolicy ? 'Failed' : 'TerminatingOrFailed');
  setDefault(s, 'manualSelector', false);
  defaultPodTemplate(objAt(s, 'template'));
}

function defaultJob(job: Obj): void {
  const s = ensureObj(job, 'spec');
  defaultJobSpec(s);
  const labels = objAt(objAt(objAt(s, 'template'), 'metadata'), 'labels');
  const meta = ensureObj(job, 'metadata');
  if (labels && Object.keys(stringMapAt(meta, 'labels')).length === 0) meta['labels'] = clone(labels);
}

/** Labels the template and selects on the Job's uid, unless the user chose a manual selector. */
function generateSelector(job: Obj): void {
  const s = ensureObj(job, 'spec');
  if (s['manualSelector'] === true) return;
  const meta = objAt(job, 'metadata') ?? {};
  const uid = strAt(meta, 'uid');
  const name = strAt(meta, 'name');
  const labels = ensureObj(ensureObj(ensureObj(s, 'template'), 'metadata'), 'labels');
  // User-set values are kept; validation then reports the conflict.
  for (const key of [JOB_LABELS.legacyJobName, JOB_LABELS.jobName]) setDefault(labels, key, name);
  for (const key of [JOB_LABELS.legacyControllerUid, JOB_LABELS.controllerUid]) setDefault(labels, key, uid);
  setDefault(ensureObj(ensureObj(s, 'selector'), 'matchLabels'), JOB_LABELS.controllerUid, uid);
}

/** Checks shared by Jobs and the job templates of CronJobs (validateJobSpec). */
function validateJobSpecCommon(s: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
  ])
    errs.push(...validateNonNegativeField(s[k], path.child(k)));
  const mode = strAt(s, 'completionMode');
  if (mode) errs.push(...validateEnum(mode, path.child('completionMode'), ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && numAt(s, 'completions') === undefined) errs.push(path.child('completions').required('when completion mode is Indexed'));
  const replacement = strAt(s, 'podReplacementPolicy');
  if (replacement) errs.push(...validateEnum(replacement, path.child('podReplacementPolicy'), ['Failed', 'TerminatingOrFailed']));
  const template = objAt(s, 'template');
  const tp = path.child('template');
  errs.push(...validatePodTemplateSpec(template, tp, { restartPolicies: ['OnFailure', 'Never'] }));
  const restartPolicy = strAt(objAt(template, 'spec'), 'restartPolicy');
  if (objAt(s, 'podFailurePolicy') && restartPolicy === 'OnFailure')
    errs.push(tp.child('spec').child('restartPolicy').invalid(restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

function validateJob(job: Readonly<Obj>): FieldError[] {
  const s = objAt(job, 'spec') ?? {};
  const errs = validateJobSpecCommon(s, spec);
  const selector = objAt(s, 'selector');
  if (!selector) errs.push(spec.child('selector').required());
  else {
    errs.push(...validateLabelSelector(selector, spec.child('selector')));
    if (!selectorMatches(selector, templateLabels(s)))
      errs.push(spec.child('template').child('metadata').child('labels').invalid(templateLabels(s), SELECTOR_MISMATCH));
  }
  if (s['manualSelector'] !== true && selector) {
    const meta = objAt(job, 'metadata') ?? {};
    const uid = strAt(meta, 'uid');
    if (!uid) errs.push(FieldPath.root('metadata').child('uid').required());
    const labels = templateLabels(s);
    const lp = spec.child('template').child('metadata').child('labels');
    for (const [key, expected] of [
      [JOB_LABELS.legacyControllerUid, uid],
      [JOB_LABELS.legacyJobName, strAt(meta, 'name')],
    ] as const) {
      const actual = labels[key];
      if (actual === undefined) errs.push(lp.key(key).required(`must be '${expected}'`));
      else if (actual !== expected) errs.push(lp.key(key).invalid(actual, `must be '${expected}'`));
    }
    if (uid && stringMapAt(selector, 'matchLabels')[JOB_LABELS.controllerUid] !== uid)
      errs.push(spec.child('selector').invalid(selector, '`selector` not auto-generated'));
  }
  return errs;
}

/** Fields of a suspended, never-started Job's template that may still change (scheduling directives). */
const mutableWhileSuspended = ['nodeSelector', 'tolerations', 'affinity', 'schedulingGates'];

function validateJobUpdate(job: Readonly<Obj>, old: Readonly<Obj>): FieldError[] {
  const errs = validateJob(job);
  const s = objAt(job, 'spec') ?? {};
  const o = objAt(old, 'spec') ?? {};
  errs.push(...validateImmutable(s['selector'], o['selector'], spec.child('selector')));
  errs.push(...validateImmutable(s['completionMode'], o['completionMode'], spec.child('completionMode')));
  errs.push(...validateImmutable(s['podFailurePolicy'], o['podFailurePolicy'], spec.child('podFailurePolicy')));
  errs.push(...validateImmutable(s['backoffLimitPerIndex'], o['backoffLimitPerIndex'], spec.child('backoffLimitPerIndex')));
  // Indexed Jobs may scale when completions and parallelism change together.
  const elastic = s['completionMode'] === 'Indexed' && s['completions'] === s['parallelism'];
  if (!elastic) errs.push(...validateImmutable(s['completions'], o['completions'], spec.child('completions')));
  const template = clone(objAt(s, 'template') ?? {});
  const oldTemplate = objAt(o, 'template') ?? {};
  const notStarted = o['suspend'] === true && !objAt(old, 'status')?.['startTime'];
  if (notStarted) {
    const ts = ensureObj(template, 'spec');
    const os = objAt(oldTemplate, 'spec') ?? {};
    for (const k of mutableWhileSuspended) {
      copyFrom(ts, os, k);
    }
    const tm = ensureObj(template, 'metadata');
    const om = objAt(oldTemplate, 'metadata') ?? {};
    for (const k of ['labels', 'annotations']) {
      copyFrom(tm, om, k);
    }
  }
  if (!jsonEqual(template, oldTemplate)) errs.push(spec.child('template').invalid(objAt(s, 'template'), 'field is immutable'));
  return errs;
}

export const jobStrategy = defineStrategy({
  statusSubresource: true,
  warnings: (job) => podTemplateWarnings(objAt(objAt(job, 'spec'), 'template'), spec.child('template')),
  specChanged: specDiffers,
  defaults: defaultJob,
  prepareForCreate: generateSelector,
  validate: validateJob,
  validateUpdate: validateJobUpdate,
});

// CronJobs

function validateTimeZone(zone: string, path: FieldPath): FieldError[] {
  if (zone === '') return [path.invalid(zone, 'timeZone must be nil or non-empty string')];
  if (zone.toLowerCase() === 'local') return [path.invalid(zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return [];
  } catch {
    return [path.invalid(zone, `unknown time zone ${zone}`)];
  }
}

function validateCronJob(cj: Readonly<Obj>): FieldError[] {
  const s = objAt(cj, 'spec') ?? {};
  const errs: FieldError[] = [];
  const schedule = strAt(s, 'schedule');
  const sp = spec.child('schedule');
  if (!schedule) errs.push(sp.required());
  else {
    const problem = cronScheduleError(schedule);
    if (problem) errs.push(sp.invalid(schedule, problem));
    if (schedule.includes('TZ')) errs.push(sp.invalid(schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  if (typeof s['timeZone'] === 'string') errs.push(...validateTimeZone(s['timeZone'], spec.child('timeZone')));
  errs.push(...validateEnum(strAt(s, 'concurrencyPolicy'), spec.child('concurrencyPolicy'), ['Allow', 'Forbid', 'Replace']));
  for (const k of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'])
    errs.push(...validateNonNegativeField(s[k], spec.child(k)));
  const jobTemplate = objAt(s, 'jobTemplate') ?? {};
  const jp = spec.child('jobTemplate');
  const jobSpec = objAt(jobTemplate, 'spec') ?? {};
  const jtMeta = objAt(jobTemplate, 'metadata');
  errs.push(...validateLabels(stringMapAt(jtMeta, 'labels'), jp.child('metadata').child('labels')));
  errs.push(...validateJobSpecCommon(jobSpec, jp.child('spec')));
  if (jobSpec['selector'] !== undefined && jobSpec['selector'] !== null)
    errs.push(jp.child('spec').child('selector').invalid(jobSpec['selector'], '`selector` will be auto-generated'));
  if (jobSpec['manualSelector'] === true) errs.push(jp.child('spec').child('manualSelector').notSupported(true, ['nil', 'false']));
  return errs;
}

export const cronJobStrategy = defineStrategy({
  warnings: (cj) =>
    podTemplateWarnings(objAt(objAt(objAt(objAt(cj, 'spec'), 'jobTemplate'), 'spec'), 'template'), spec.child('jobTemplate').child('spec').child('template')),
  statusSubresource: true,
  specChanged: specDiffers,
  defaults(cj) {
    const s = ensureObj(cj, 'spec');
    setDefaultString(s, 'concurrencyPolicy', 'Allow');
    setDefault(s, 'suspend', false);
    setDefault(s, 'successfulJobsHistoryLimit', 3);
    setDefault(s, 'failedJobsHistoryLimit', 1);
    defaultPodTemplate(objAt(objAt(objAt(s, 'jobTemplate'), 'spec'), 'template'));
  },
  validate(cj) {
    const errs = validateCronJob(cj);
    const name = strAt(objAt(cj, 'metadata'), 'name');
    // Jobs get an 11-character suffix and must stay DNS labels.
    if (name.length > 52) errs.unshift(FieldPath.root('metadata').child('name').invalid(name, 'must be no more than 52 characters'));
    return errs;
  },
  validateUpdate: (cj) => validateCronJob(cj),
});
