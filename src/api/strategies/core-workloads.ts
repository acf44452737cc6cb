// Strategies for the core group's workload objects: PodTemplates and ReplicationControllers
// (whose selector is a plain label map and defaults from the template's labels).

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, ensureObj, setDefault, stringMapAt, clone } from './object-access.js';
import { defineStrategy, specDiffers } from './strategy.js';
import { defaultPodTemplate } from './pod-spec-defaults.js';
import { validatePodTemplateSpec } from './pod-spec-validation.js';
import { validateLabels } from './object-meta.js';
import { podTemplateWarnings } from './pod-warnings.js';
import { validateLongRunningTemplate, SELECTOR_MISMATCH, templateLabels } from './workload-rules.js';
import { validateNonNegativeField } from './field-rules.js';

export const podTemplateStrategy = defineStrategy({
  defaults(pt) {
    defaultPodTemplate(objAt(pt, 'template'));
  },
  validate: (pt) => validatePodTemplateSpec(objAt(pt, 'template'), FieldPath.root('template')),
  warnings: (pt) => podTemplateWarnings(objAt(pt, 'template'), FieldPath.root('template')),
});

const spec = FieldPath.root('spec');

function defaultReplicationController(rc: Obj): void {
  const s = ensureObj(rc, 'spec');
  const labels = objAt(objAt(objAt(s, 'template'), 'metadata'), 'labels');
  if (labels) {
    if (Object.keys(stringMapAt(s, 'selector')).length === 0) s['selector'] = clone(labels);
    const meta = ensureObj(rc, 'metadata');
    if (Object.keys(stringMapAt(meta, 'labels')).length === 0) meta['labels'] = clone(labels);
  }
  setDefault(s, 'replicas', 1);
  defaultPodTemplate(objAt(s, 'template'));
}

function validateReplicationController(rc: Readonly<Obj>): FieldError[] {
  const s = objAt(rc, 'spec') ?? {};
  const errs: FieldError[] = [];
  const selector = stringMapAt(s, 'selector');
  if (Object.keys(selector).length === 0) errs.push(spec.child('selector').required());
  else errs.push(...validateLabels(selector, spec.child('selector')));
  errs.push(...validateNonNegativeField(s['replicas'], spec.child('replicas')));
  errs.push(...validateNonNegativeField(s['minReadySeconds'], spec.child('minReadySeconds')));
  const template = objAt(s, 'template');
  if (!template) {
    errs.push(spec.child('template').required());
    return errs;
  }
  const labels = templateLabels(s);
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v))
    errs.push(spec.child('template').child('metadata').child('labels').invalid(labels, SELECTOR_MISMATCH));
  errs.push(...validateLongRunningTemplate(template, spec.child('template'), 'ReplicationController'));
  return errs;
}

export const replicationControllerStrategy = defineStrategy({
  statusSubresource: true,
  initialStatus: () => ({ replicas: 0 }),
  specChanged: specDiffers,
  defaults: defaultReplicationController,
  warnings: (rc) => podTemplateWarnings(objAt(objAt(rc, 'spec'), 'template'), spec.child('template')),
  validate: validateReplicationController,
});
