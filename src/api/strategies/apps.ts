// Strategies of apps/v1: Deployments, ReplicaSets, StatefulSets, DaemonSets and
// ControllerRevisions, with apps/v1's defaults, immutable selectors and template rules.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, copyFrom, stringMapAt, objAt, ensureObj, objItems, strAt, numAt, setDefault, setDefaultString, clone } from './object-access.js';
import { defineStrategy, specDiffers } from './strategy.js';
import { defaultPodTemplate } from './pod-spec-defaults.js';
import { validateImmutable } from './object-meta.js';
import { validateSelectorAndTemplate, validateLongRunningTemplate } from './workload-rules.js';
import { validateNonNegativeField, validateIntOrPercent, isZeroIntOrPercent, validateEnum } from './field-rules.js';
import { defaultClaimSpec, validateClaimSpec } from './storage.js';
import { podTemplateWarnings } from './pod-warnings.js';
import { jsonEqual } from '../../lang/index.js';

const spec = FieldPath.root('spec');

function templateWarnings(obj: Readonly<Obj>): string[] {
  return podTemplateWarnings(objAt(objAt(obj, 'spec'), 'template'), spec.child('template'));
}

function validateSelectorImmutable(obj: Readonly<Obj>, old: Readonly<Obj>): FieldError[] {
  return validateImmutable(objAt(objAt(obj, 'spec'), 'selector'), objAt(objAt(old, 'spec'), 'selector'), spec.child('selector'));
}

// Deployments

function defaultDeployment(d: Obj): void {
  const s = ensureObj(d, 'spec');
  setDefault(s, 'replicas', 1);
  const strategy = ensureObj(s, 'strategy');
  setDefaultString(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const rolling = ensureObj(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', '25%');
    setDefault(rolling, 'maxSurge', '25%');
  }
  setDefault(s, 'revisionHistoryLimit', 10);
  setDefault(s, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(objAt(s, 'template'));
}

function validateDeployment(d: Readonly<Obj>): FieldError[] {
  const s = objAt(d, 'spec') ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateNonNegativeField(s['replicas'], spec.child('replicas')));
  errs.push(...validateSelectorAndTemplate(s, spec, 'deployment'));
  errs.push(...validateLongRunningTemplate(objAt(s, 'template'), spec.child('template'), 'Deployment'));
  const strategy = objAt(s, 'strategy') ?? {};
  const sp = spec.child('strategy');
  const type = strAt(strategy, 'type');
  errs.push(...validateEnum(type, sp.child('type'), ['Recreate', 'RollingUpdate']));
  const rolling = objAt(strategy, 'rollingUpdate');
  if (type === 'Recreate' && rolling) errs.push(sp.child('rollingUpdate').forbidden("may not be specified when strategy `type` is 'Recreate'"));
  if (type === 'RollingUpdate' && rolling) {
    const rp = sp.child('rollingUpdate');
    errs.push(...validateIntOrPercent(rolling['maxUnavailable'], rp.child('maxUnavailable')));
    errs.push(...validateIntOrPercent(rolling['maxSurge'], rp.child('maxSurge'), true));
    if (isZeroIntOrPercent(rolling['maxUnavailable']) && isZeroIntOrPercent(rolling['maxSurge']))
      errs.push(rp.child('maxUnavailable').invalid(rolling['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
  }
  for (const k of ['minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds']) errs.push(...validateNonNegativeField(s[k], spec.child(k)));
  const deadline = numAt(s, 'progressDeadlineSeconds');
  if (deadline !== undefined && deadline <= (numAt(s, 'minReadySeconds') ?? 0))
    errs.push(spec.child('progressDeadlineSeconds').invalid(deadline, 'must be greater than minReadySeconds'));
  return errs;
}

export const deploymentStrategy = defineStrategy({
  warnings: templateWarnings,
  statusSubresource: true,
  statusKeepsLabels: true,
  specChanged: specDiffers,
  defaults: defaultDeployment,
  validate: validateDeployment,
  validateUpdate: (d, old) => [...validateDeployment(d), ...validateSelectorImmutable(d, old)],
});

// ReplicaSets

function validateReplicaSet(rs: Readonly<Obj>): FieldError[] {
  const s = objAt(rs, 'spec') ?? {};
  return [
    ...validateNonNegativeField(s['replicas'], spec.child('replicas')),
    ...validateNonNegativeField(s['minReadySeconds'], spec.child('minReadySeconds')),
    ...validateSelectorAndTemplate(s, spec, 'deployment'),
    ...validateLongRunningTemplate(objAt(s, 'template'), spec.child('template'), 'ReplicaSet'),
  ];
}

export const replicaSetStrategy = defineStrategy({
  warnings: templateWarnings,
  statusSubresource: true,
  initialStatus: () => ({ replicas: 0 }),
  statusKeepsLabels: true,
  specChanged: specDiffers,
  defaults(rs) {
    const s = ensureObj(rs, 'spec');
    setDefault(s, 'replicas', 1);
    defaultPodTemplate(objAt(s, 'template'));
  },
  validate: validateReplicaSet,
  validateUpdate: (rs, old) => [...validateReplicaSet(rs), ...validateSelectorImmutable(rs, old)],
});

// StatefulSets

function defaultStatefulSet(sts: Obj): void {
  const s = ensureObj(sts, 'spec');
  setDefaultString(s, 'podManagementPolicy', 'OrderedReady');
  const update = ensureObj(s, 'updateStrategy');
  setDefaultString(update, 'type', 'RollingUpdate');
  if (update['type'] === 'RollingUpdate') {
    const rolling = ensureObj(update, 'rollingUpdate');
    setDefault(rolling, 'partition', 0);
    // MaxUnavailableStatefulSet is on by default since Kubernetes 1.35.
    setDefault(rolling, 'maxUnavailable', 1);
  }
  const retention = ensureObj(s, 'persistentVolumeClaimRetentionPolicy');
  setDefaultString(retention, 'whenDeleted', 'Retain');
  setDefaultString(retention, 'whenScaled', 'Retain');
  setDefault(s, 'replicas', 1);
  setDefault(s, 'revisionHistoryLimit', 10);
  defaultPodTemplate(objAt(s, 'template'));
  for (const [claim] of objItems(s, 'volumeClaimTemplates')) {
    setDefaultString(claim, 'apiVersion', 'v1');
    setDefaultString(claim, 'kind', 'PersistentVolumeClaim');
    defaultClaimSpec(ensureObj(claim, 'spec'));
    setDefaultString(ensureObj(claim, 'status'), 'phase', 'Pending');
  }
}

function validateStatefulSet(sts: Readonly<Obj>): FieldError[] {
  const s = objAt(sts, 'spec') ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateEnum(strAt(s, 'podManagementPolicy'), spec.child('podManagementPolicy'), ['OrderedReady', 'Parallel']));
  const update = objAt(s, 'updateStrategy') ?? {};
  const up = spec.child('updateStrategy');
  const type = strAt(update, 'type');
  errs.push(...validateEnum(type, up.child('type'), ['OnDelete', 'RollingUpdate']));
  const rolling = objAt(update, 'rollingUpdate');
  if (type === 'OnDelete' && rolling) errs.push(up.child('rollingUpdate').invalid(rolling, "only allowed for updateStrategy 'RollingUpdate'"));
  if (rolling) {
    errs.push(...validateNonNegativeField(rolling['partition'], up.child('rollingUpdate').child('partition')));
    errs.push(...validateIntOrPercent(rolling['maxUnavailable'], up.child('rollingUpdate').child('maxUnavailable')));
  }
  const retention = objAt(s, 'persistentVolumeClaimRetentionPolicy');
  if (retention) {
    const rp = spec.child('persistentVolumeClaimRetentionPolicy');
    errs.push(...validateEnum(strAt(retention, 'whenDeleted'), rp.child('whenDeleted'), ['Retain', 'Delete']));
    errs.push(...validateEnum(strAt(retention, 'whenScaled'), rp.child('whenScaled'), ['Retain', 'Delete']));
  }
  for (const k of ['replicas', 'minReadySeconds', 'revisionHistoryLimit']) errs.push(...validateNonNegativeField(s[k], spec.child(k)));
  const ordinals = objAt(s, 'ordinals');
  if (ordinals) errs.push(...validateNonNegativeField(ordinals['start'], spec.child('ordinals').child('start')));
  errs.push(...validateSelectorAndTemplate(s, spec, 'statefulset'));
  const claimNames = objItems(s, 'volumeClaimTemplates').map(([claim]) => strAt(objAt(claim, 'metadata'), 'name'));
  errs.push(...validateLongRunningTemplate(objAt(s, 'template'), spec.child('template'), 'StatefulSet', claimNames));
  for (const [claim, i] of objItems(s, 'volumeClaimTemplates')) {
    errs.push(...validateClaimSpec(objAt(claim, 'spec'), spec.child('volumeClaimTemplates').index(i).child('spec'), true));
  }
  return errs;
}

const statefulSetMutable = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

function validateStatefulSetUpdate(sts: Readonly<Obj>, old: Readonly<Obj>): FieldError[] {
  const errs = validateStatefulSet(sts);
  const restored = clone(objAt(sts, 'spec') ?? {});
  const oldSpec = objAt(old, 'spec') ?? {};
  for (const k of statefulSetMutable) {
    copyFrom(restored, oldSpec, k);
  }
  if (!jsonEqual(restored, oldSpec))
    errs.push(
      spec.forbidden(
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  return errs;
}

export const statefulSetStrategy = defineStrategy({
  warnings: templateWarnings,
  statusSubresource: true,
  initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
  statusKeepsLabels: true,
  specChanged: specDiffers,
  defaults: defaultStatefulSet,
  validate: validateStatefulSet,
  validateUpdate: validateStatefulSetUpdate,
});

// DaemonSets

function defaultDaemonSet(ds: Obj): void {
  const s = ensureObj(ds, 'spec');
  const update = ensureObj(s, 'updateStrategy');
  setDefaultString(update, 'type', 'RollingUpdate');
  if (update['type'] === 'RollingUpdate') {
    const rolling = ensureObj(update, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', 1);
    setDefault(rolling, 'maxSurge', 0);
  }
  setDefault(s, 'revisionHistoryLimit', 10);
  defaultPodTemplate(objAt(s, 'template'));
}

function validateDaemonSet(ds: Readonly<Obj>): FieldError[] {
  const s = objAt(ds, 'spec') ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateSelectorAndTemplate(s, spec, 'daemonset'));
  errs.push(...validateLongRunningTemplate(objAt(s, 'template'), spec.child('template'), 'DaemonSet'));
  for (const k of ['minReadySeconds', 'revisionHistoryLimit']) errs.push(...validateNonNegativeField(s[k], spec.child(k)));
  const update = objAt(s, 'updateStrategy') ?? {};
  const up = spec.child('updateStrategy');
  const type = strAt(update, 'type');
  errs.push(...validateEnum(type, up.child('type'), ['OnDelete', 'RollingUpdate']));
  const rolling = objAt(update, 'rollingUpdate');
  if (type === 'RollingUpdate' && rolling) {
    const rp = up.child('rollingUpdate');
    errs.push(...validateIntOrPercent(rolling['maxUnavailable'], rp.child('maxUnavailable')));
    errs.push(...validateIntOrPercent(rolling['maxSurge'], rp.child('maxSurge')));
    const unavailableZero = isZeroIntOrPercent(rolling['maxUnavailable']);
    const surgeZero = isZeroIntOrPercent(rolling['maxSurge']);
    if (unavailableZero && surgeZero) errs.push(rp.child('maxUnavailable').invalid(rolling['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
    if (!unavailableZero && !surgeZero) errs.push(rp.child('maxSurge').invalid(rolling['maxSurge'], 'may not be set when maxUnavailable is non-zero'));
  }
  return errs;
}

/** apps/v1 keeps the old templateGeneration counter as an annotation, bumped when the template changes. */
const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

function setTemplateGeneration(ds: Obj, value: string): void {
  ensureObj(ensureObj(ds, 'metadata'), 'annotations')[TEMPLATE_GENERATION_ANNOTATION] = value;
}

export const daemonSetStrategy = defineStrategy({
  warnings: templateWarnings,
  statusSubresource: true,
  initialStatus: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  statusKeepsLabels: true,
  specChanged: specDiffers,
  defaults: defaultDaemonSet,
  prepareForCreate(ds) {
    setTemplateGeneration(ds, '1');
  },
  prepareForUpdate(ds, old) {
    const previous = Number(stringMapAt(objAt(old, 'metadata'), 'annotations')[TEMPLATE_GENERATION_ANNOTATION] ?? '0') || 0;
    const changed = !jsonEqual(objAt(ds, 'spec')?.['template'], objAt(old, 'spec')?.['template']);
    setTemplateGeneration(ds, String(changed ? previous + 1 : previous));
  },
  validate: validateDaemonSet,
  validateUpdate: (ds, old) => [...validateDaemonSet(ds), ...validateSelectorImmutable(ds, old)],
});

// ControllerRevisions

function validateControllerRevision(cr: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  if (cr['data'] === undefined || cr['data'] === null) errs.push(FieldPath.root('data').required('data is mandatory'));
  errs.push(...validateNonNegativeField(cr['revision'], FieldPath.root('revision')));
  return errs;
}

export const controllerRevisionStrategy = defineStrategy({
  validate: validateControllerRevision,
  validateUpdate: (cr, old) => [...validateControllerRevision(cr), ...validateImmutable(cr['data'], old['data'], FieldPath.root('data'))],
});
