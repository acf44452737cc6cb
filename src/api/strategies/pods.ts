// The pods strategy: Pod defaults, pending status and QoS class on create, the narrow set of
// spec changes an update may make (kube's ValidatePodUpdate), graceful deletion, and warnings.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, copyFrom, objAt, ensureObj, objItems, arrAt, strAt, numAt, clone, setDefault } from './object-access.js';
import { defineStrategy, specDiffers } from './strategy.js';
import { defaultPodSpec, defaultPodOnlyFields } from './pod-spec-defaults.js';
import { validatePodSpec } from './pod-spec-validation.js';
import { podQosClass } from './pod-qos.js';
import { podSpecWarnings } from './pod-warnings.js';
import { isDNS1123Label, isValidIP } from './name-validation.js';
import { kubeTime } from '../kube-time.js';
import { isRecord, jsonEqual } from '../../lang/index.js';

const spec = FieldPath.root('spec');

const updatableFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** Kube lets negative grace periods through on old clients but stores 1 (the smallest real wait). */
function clampGracePeriod(podSpec: Obj): void {
  const grace = numAt(podSpec, 'terminationGracePeriodSeconds');
  if (grace !== undefined && grace < 0) podSpec['terminationGracePeriodSeconds'] = 1;
}

function prepareForCreate(pod: Obj): void {
  const podSpec = ensureObj(pod, 'spec');
  clampGracePeriod(podSpec);
  // What ServiceAccount and Priority admission add to every pod without them.
  if (!strAt(podSpec, 'serviceAccountName')) {
    podSpec['serviceAccountName'] = 'default';
    podSpec['serviceAccount'] = 'default';
  }
  if (!strAt(podSpec, 'priorityClassName')) setDefault(podSpec, 'priority', 0);
  setDefault(podSpec, 'preemptionPolicy', 'PreemptLowerPriority');
  const status: Obj = { phase: 'Pending', qosClass: podQosClass(podSpec) };
  if (arrAt(podSpec, 'schedulingGates').length > 0) {
    status['conditions'] = [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
        lastProbeTime: null,
        lastTransitionTime: kubeTime(),
      },
    ];
  }
  pod['status'] = status;
}

/** A readable account of what changed, standing in for the cmp.Diff kube appends. */
function describeDiff(oldValue: unknown, newValue: unknown, path: string, out: string[]): void {
  if (jsonEqual(oldValue, newValue)) return;
  if (isRecord(oldValue) && isRecord(newValue)) {
    for (const k of new Set([...Object.keys(oldValue), ...Object.keys(newValue)])) describeDiff(oldValue[k], newValue[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (Array.isArray(oldValue) && Array.isArray(newValue) && oldValue.length === newValue.length) {
    oldValue.forEach((v, i) => describeDiff(v, newValue[i], `${path}[${i}]`, out));
    return;
  }
  if (oldValue !== undefined) out.push(`- \t${path}: ${JSON.stringify(oldValue)},`);
  if (newValue !== undefined) out.push(`+ \t${path}: ${JSON.stringify(newValue)},`);
}

function tolerationKey(t: unknown): string {
  if (!isRecord(t)) return JSON.stringify(t);
  const { tolerationSeconds: _ignored, ...rest } = t;
  return JSON.stringify(
    Object.keys(rest)
      .sort()
      .map((k) => [k, rest[k]]),
  );
}

/** ValidatePodUpdate: everything but images, deadlines, toleration additions and gate removals is fixed. */
function validatePodSpecUpdate(pod: Readonly<Obj>, old: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  const newSpec = objAt(pod, 'spec') ?? {};
  const oldSpec = objAt(old, 'spec') ?? {};
  if (arrAt(newSpec, 'containers').length !== arrAt(oldSpec, 'containers').length) {
    return [spec.child('containers').forbidden('pod updates may not add or remove containers')];
  }
  if (arrAt(newSpec, 'initContainers').length !== arrAt(oldSpec, 'initContainers').length) {
    return [spec.child('initContainers').forbidden('pod updates may not add or remove containers')];
  }
  const oldDeadline = numAt(oldSpec, 'activeDeadlineSeconds');
  const newDeadline = numAt(newSpec, 'activeDeadlineSeconds');
  if (oldDeadline !== undefined) {
    if (newDeadline === undefined) errs.push(spec.child('activeDeadlineSeconds').invalid(null, 'must not update from a positive integer to nil value'));
    else if (newDeadline > oldDeadline) errs.push(spec.child('activeDeadlineSeconds').invalid(newDeadline, 'must be less than or equal to previous value'));
  }
  const newTolerations = new Set(arrAt(newSpec, 'tolerations').map(tolerationKey));
  if (!arrAt(oldSpec, 'tolerations').every((t) => newTolerations.has(tolerationKey(t))))
    errs.push(spec.child('tolerations').forbidden('existing toleration can not be modified except its tolerationSeconds'));
  const oldGates = arrAt(oldSpec, 'schedulingGates');
  const newGates = arrAt(newSpec, 'schedulingGates');
  if (!newGates.every((g) => oldGates.some((o) => jsonEqual(o, g))))
    errs.push(spec.child('schedulingGates').forbidden('only deletion is allowed, but found new scheduling gate'));

  // Start from the new spec and put back the old values of the fields an update may change.
  const munged = clone(newSpec);
  for (const key of ['containers', 'initContainers']) {
    const oldContainers = arrAt(oldSpec, key);
    for (const [c, i] of objItems(munged, key)) {
      const oldContainer = oldContainers[i];
      c['image'] = isRecord(oldContainer) ? oldContainer['image'] : undefined;
    }
  }
  for (const key of ['activeDeadlineSeconds', 'tolerations', 'schedulingGates', 'ephemeralContainers']) copyFrom(munged, oldSpec, key);
  const oldGrace = numAt(oldSpec, 'terminationGracePeriodSeconds');
  if (oldGrace !== undefined && oldGrace < 0 && numAt(newSpec, 'terminationGracePeriodSeconds') === 1) munged['terminationGracePeriodSeconds'] = oldGrace;
  // While gated, scheduling constraints may be added (kube checks they only narrow; we accept additions of keys).
  if (oldGates.length > 0) {
    for (const key of ['nodeSelector', 'affinity']) copyFrom(munged, oldSpec, key);
  }
  if (!jsonEqual(munged, oldSpec)) {
    const diff: string[] = [];
    describeDiff(oldSpec, munged, '', diff);
    errs.push(
      spec.forbidden(
        `pod updates may not change fields other than ${updatableFields.join(',')}\n  core.PodSpec{\n${diff.map((l) => `  ${l}`).join('\n')}\n  }\n`,
      ),
    );
  }
  return errs;
}

function validatePod(pod: Readonly<Obj>): FieldError[] {
  const errs = validatePodSpec(objAt(pod, 'spec'), spec);
  // Templates tolerate padded images (some tools use " " as a placeholder); pods do not.
  for (const key of ['containers', 'initContainers']) {
    for (const [c, i] of objItems(objAt(pod, 'spec'), key)) {
      const image = strAt(c, 'image');
      if (image && image !== image.trim()) errs.push(spec.child(key).index(i).child('image').invalid(image, 'must not have leading or trailing whitespace'));
    }
  }
  return errs;
}

function validatePodStatus(pod: Readonly<Obj>, old: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  const status = objAt(pod, 'status') ?? {};
  const path = FieldPath.root('status');
  for (const key of ['podIP', 'hostIP']) {
    const ip = strAt(status, key);
    if (ip) errs.push(...isValidIP(ip).map((m) => path.child(key).invalid(ip, m)));
  }
  for (const [entry, i] of objItems(status, 'podIPs')) {
    const ip = strAt(entry, 'ip');
    errs.push(...isValidIP(ip).map((m) => path.child('podIPs').index(i).child('ip').invalid(ip, m)));
  }
  const phase = strAt(status, 'phase');
  const oldPhase = strAt(objAt(old, 'status'), 'phase');
  if ((oldPhase === 'Succeeded' || oldPhase === 'Failed') && phase !== oldPhase)
    errs.push(path.child('phase').forbidden(`cannot transition from terminal phase ${oldPhase} to ${phase}`));
  return errs;
}

function warnings(pod: Readonly<Obj>): string[] {
  const out: string[] = [];
  const name = strAt(objAt(pod, 'metadata'), 'name');
  const labelProblems = name ? isDNS1123Label(name) : [];
  if (labelProblems.length > 0)
    out.push(
      `metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${labelProblems.join(' ')}]`,
    );
  out.push(...podSpecWarnings(objAt(pod, 'spec'), spec));
  return out;
}

/** How long a pod deletion waits: the request, else the pod's own grace period; unscheduled or finished pods go at once. */
function gracePeriod(pod: Readonly<Obj>, requested?: number): number {
  const podSpec = objAt(pod, 'spec');
  const phase = strAt(objAt(pod, 'status'), 'phase');
  if (!strAt(podSpec, 'nodeName') || phase === 'Succeeded' || phase === 'Failed') return 0;
  if (requested !== undefined) return requested;
  return numAt(podSpec, 'terminationGracePeriodSeconds') ?? 30;
}

export const podStrategy = defineStrategy({
  statusSubresource: true,
  specChanged: specDiffers,
  defaults(pod) {
    const podSpec = ensureObj(pod, 'spec');
    defaultPodSpec(podSpec);
    defaultPodOnlyFields(podSpec);
  },
  prepareForCreate,
  prepareForUpdate(pod) {
    clampGracePeriod(ensureObj(pod, 'spec'));
  },
  prepareForStatusUpdate(pod, old) {
    copyFrom(ensureObj(pod, 'metadata'), objAt(old, 'metadata') ?? {}, 'ownerReferences');
  },
  validate: validatePod,
  validateUpdate: (pod, old) => [...validatePod(pod), ...validatePodSpecUpdate(pod, old)],
  validateStatus: validatePodStatus,
  warnings,
  gracePeriod,
});
