// Strategies for small cluster-wide and coordination objects: Leases (coordination.k8s.io),
// PriorityClasses (scheduling.k8s.io) and PodDisruptionBudgets (policy/v1).

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, ensureObj, strAt, numAt, setDefaultString } from './object-access.js';
import { defineStrategy, specDiffers } from './strategy.js';
import { validateLabelSelector } from './object-meta.js';
import { validateIntOrPercent, validateNonNegativeField, validateEnum } from './field-rules.js';

function validateLease(lease: Readonly<Obj>): FieldError[] {
  const s = objAt(lease, 'spec') ?? {};
  const sp = FieldPath.root('spec');
  const errs: FieldError[] = [];
  const duration = numAt(s, 'leaseDurationSeconds');
  if (duration !== undefined && duration <= 0) errs.push(sp.child('leaseDurationSeconds').invalid(duration, 'must be greater than 0'));
  errs.push(...validateNonNegativeField(s['leaseTransitions'], sp.child('leaseTransitions')));
  const strategy = strAt(s, 'strategy');
  if (strategy) errs.push(...validateEnum(strategy, sp.child('strategy'), ['OldestEmulationVersion']));
  return errs;
}

export const leaseStrategy = defineStrategy({ validate: validateLease });

// PriorityClasses

const HIGHEST_USER_PRIORITY = 1_000_000_000;
const systemClasses = new Map([
  ['system-node-critical', 2_000_001_000],
  ['system-cluster-critical', 2_000_000_000],
]);

function validatePriorityClass(pc: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  const name = strAt(objAt(pc, 'metadata'), 'name');
  const value = numAt(pc, 'value') ?? 0;
  if (systemClasses.has(name)) {
    if (systemClasses.get(name) !== value) errs.push(FieldPath.root('value').invalid(value, `value of ${name} must be ${systemClasses.get(name) ?? 0}`));
  } else {
    if (name.startsWith('system-'))
      errs.push(FieldPath.root('metadata').child('name').invalid(name, "priority class names with 'system-' prefix are reserved"));
    if (value > HIGHEST_USER_PRIORITY)
      errs.push(FieldPath.root('value').forbidden(`maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  const preemption = strAt(pc, 'preemptionPolicy');
  if (preemption) errs.push(...validateEnum(preemption, FieldPath.root('preemptionPolicy'), ['Never', 'PreemptLowerPriority']));
  return errs;
}

export const priorityClassStrategy = defineStrategy({
  defaults(pc) {
    setDefaultString(pc, 'preemptionPolicy', 'PreemptLowerPriority');
  },
  validate: validatePriorityClass,
  validateUpdate(pc, old) {
    const errs: FieldError[] = [];
    if (pc['value'] !== old['value']) errs.push(FieldPath.root('value').forbidden('may not be changed in an update.'));
    if (strAt(pc, 'preemptionPolicy') !== strAt(old, 'preemptionPolicy'))
      errs.push(FieldPath.root('preemptionPolicy').invalid(pc['preemptionPolicy'], 'field is immutable'));
    return errs;
  },
});

// PodDisruptionBudgets

function validatePodDisruptionBudget(pdb: Readonly<Obj>): FieldError[] {
  const s = objAt(pdb, 'spec') ?? {};
  const sp = FieldPath.root('spec');
  const errs: FieldError[] = [];
  const minAvailable = s['minAvailable'];
  const maxUnavailable = s['maxUnavailable'];
  if (minAvailable !== undefined && minAvailable !== null && maxUnavailable !== undefined && maxUnavailable !== null)
    errs.push(sp.invalid(s, 'minAvailable and maxUnavailable cannot be both set'));
  errs.push(...validateIntOrPercent(minAvailable, sp.child('minAvailable')));
  errs.push(...validateIntOrPercent(maxUnavailable, sp.child('maxUnavailable')));
  errs.push(...validateLabelSelector(objAt(s, 'selector'), sp.child('selector')));
  const policy = strAt(s, 'unhealthyPodEvictionPolicy');
  if (policy) errs.push(...validateEnum(policy, sp.child('unhealthyPodEvictionPolicy'), ['AlwaysAllow', 'IfHealthyBudget']));
  return errs;
}

export const podDisruptionBudgetStrategy = defineStrategy({
  statusSubresource: true,
  // The disruption controller reads these from status; kube starts them at zero.
  initialStatus: () => ({ currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 }),
  specChanged: specDiffers,
  defaults(pdb) {
    ensureObj(pdb, 'spec');
  },
  validate: validatePodDisruptionBudget,
});
