// Rules shared by the workload controllers' objects (ReplicationController, ReplicaSet,
// Deployment, StatefulSet, DaemonSet, Job): selectors against template labels
// and template restrictions.

import type { FieldPath } from '../field-errors.js';
import { type FieldError } from '../field-errors.js';
import { type Obj, objAt, stringMapAt } from './object-access.js';
import { validateLabelSelector, isEmptySelector, selectorMatches } from './object-meta.js';
import { validatePodTemplateSpec } from './pod-spec-validation.js';

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
