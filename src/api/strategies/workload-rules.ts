// Rules shared by the workload controllers' objects (ReplicationController, ReplicaSet,
// Deployment, StatefulSet, DaemonSet, Job): selectors against template labels, template
// restrictions, and int-or-percent fields.

import type { FieldPath } from '../field-errors.js';
import { type FieldError } from '../field-errors.js';
import { type Obj, objAt, strAt, stringMapAt } from './object-access.js';
import { validateLabelSelector, isEmptySelector, selectorMatches } from './object-meta.js';
import { validatePodTemplateSpec } from './pod-spec-validation.js';
import { isValidPercent } from './name-validation.js';

export const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

export function templateLabels(spec: Readonly<Obj> | undefined): Record<string, string> {
  return stringMapAt(objAt(objAt(spec, 'template'), 'metadata'), 'labels');
}

/** A required, non-empty metav1.LabelSelector that the template's labels satisfy. */
export function validateSelectorAndTemplate(spec: Readonly<Obj> | undefined, path: FieldPath, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const selector = objAt(spec, 'selector');
  if (!selector) {
    errs.push(path.child('selector').required());
  } else {
    errs.push(...validateLabelSelector(selector, path.child('selector')));
    if (isEmptySelector(selector)) errs.push(path.child('selector').invalid(selector, `empty selector is invalid for ${kind}`));
  }
  const template = objAt(spec, 'template');
  if (selector && template && !isEmptySelector(selector) && !selectorMatches(selector, templateLabels(spec)))
    errs.push(path.child('template').child('metadata').child('labels').invalid(templateLabels(spec), SELECTOR_MISMATCH));
  return errs;
}

/** Templates of always-running workloads: restartPolicy Always and no active deadline. */
export function validateLongRunningTemplate(
  template: Readonly<Obj> | undefined,
  path: FieldPath,
  owner: string,
  ownerVolumes: readonly string[] = [],
): FieldError[] {
  const errs = validatePodTemplateSpec(template, path, { restartPolicies: ['Always'], ownerVolumes });
  const spec = objAt(template, 'spec');
  if (spec?.['activeDeadlineSeconds'] !== undefined && spec['activeDeadlineSeconds'] !== null)
    errs.push(path.child('spec').child('activeDeadlineSeconds').forbidden(`activeDeadlineSeconds in ${owner} is not Supported`));
  return errs;
}

export function validateNonNegativeField(value: unknown, path: FieldPath): FieldError[] {
  return typeof value === 'number' && value < 0 ? [path.invalid(value, 'must be greater than or equal to 0')] : [];
}

/**
 * An IntOrString that is a non-negative integer or a percentage, at most 100% unless `overHundred`
 * (a Deployment's maxSurge, which kube does not cap).
 */
export function validateIntOrPercent(value: unknown, path: FieldPath, overHundred = false): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    const errs = isValidPercent(value).map((m) => path.invalid(value, m));
    if (errs.length === 0 && !overHundred && Number.parseInt(value, 10) > 100) errs.push(path.invalid(value, 'must not be greater than 100%'));
    return errs;
  }
  return validateNonNegativeField(value, path);
}

/** Whether an IntOrString is zero (0 or "0%"). */
export function isZeroIntOrPercent(value: unknown): boolean {
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return /^0+%$/.test(value);
  return true;
}

export function validateEnum(value: string, path: FieldPath, allowed: readonly string[], required = true): FieldError[] {
  if (!value) return required ? [path.required()] : [];
  return allowed.includes(value) ? [] : [path.notSupported(value, allowed)];
}

export function specString(obj: Readonly<Obj>, ...keys: string[]): string {
  let cur: Readonly<Obj> | undefined = obj;
  for (const k of keys.slice(0, -1)) cur = objAt(cur, k);
  return strAt(cur, keys[keys.length - 1] ?? '');
}
