// Strategies for namespace policy objects: LimitRanges (container defaults derived from max and
// default, ordering of min/default/max) and ResourceQuotas (hard limits, scopes).

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, objItems, arrAt, strAt, clone } from './object-access.js';
import { defineStrategy } from './strategy.js';
import { isQualifiedName } from './name-validation.js';
import { validateEnum } from './field-rules.js';
import { QUANTITY_FORMAT_WRONG, quantityText, quantityValue } from '../resource-quantity.js';
import { isRecord } from '../../lang/index.js';

/** Fills `target` from `source` for keys `target` lacks, creating it only when something is added. */
function fillMissing(item: Obj, target: string, source: Readonly<Obj> | undefined): void {
  if (!source) return;
  const existing = objAt(item, target);
  const out: Obj = existing ?? {};
  let added = false;
  for (const [k, v] of Object.entries(source)) {
    if (out[k] === undefined) {
      out[k] = clone(v);
      added = true;
    }
  }
  if (existing || added) item[target] = out;
}

function defaultLimitRange(lr: Obj): void {
  for (const [item] of objItems(objAt(lr, 'spec'), 'limits')) {
    if (item['type'] !== 'Container') continue;
    fillMissing(item, 'default', objAt(item, 'max'));
    fillMissing(item, 'defaultRequest', objAt(item, 'default'));
    fillMissing(item, 'defaultRequest', objAt(item, 'min'));
  }
}

function quantities(item: Readonly<Obj>, key: string): Map<string, { raw: unknown; value: number | undefined }> {
  const out = new Map<string, { raw: unknown; value: number | undefined }>();
  const list = objAt(item, key);
  if (list) for (const [k, v] of Object.entries(list)) out.set(k, { raw: v, value: quantityValue(v) });
  return out;
}

function validateResourceList(list: Readonly<Obj> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!list) return errs;
  for (const [k, v] of Object.entries(list)) {
    const p = path.key(k);
    for (const m of isQualifiedName(k)) errs.push(p.invalid(k, m));
    const value = quantityValue(v);
    if (value === undefined) errs.push(p.invalid(v, QUANTITY_FORMAT_WRONG));
    else if (value < 0) errs.push(p.invalid(v, 'must be greater than or equal to 0'));
  }
  return errs;
}

function validateLimitRange(lr: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  const seenTypes = new Set<string>();
  for (const [item, i] of objItems(objAt(lr, 'spec'), 'limits')) {
    const p = FieldPath.root('spec').child('limits').index(i);
    const type = strAt(item, 'type');
    if (!type) errs.push(p.child('type').required());
    else if (seenTypes.has(type)) errs.push(p.child('type').duplicate(type));
    seenTypes.add(type);
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) errs.push(...validateResourceList(objAt(item, k), p.child(k)));
    if (type === 'Pod') {
      for (const k of ['default', 'defaultRequest']) if (isRecord(item[k])) errs.push(p.child(k).forbidden("may not be specified when `type` is 'Pod'"));
    }
    const max = quantities(item, 'max');
    const min = quantities(item, 'min');
    const def = quantities(item, 'default');
    const defReq = quantities(item, 'defaultRequest');
    const above = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && a > b;
    for (const [k, lo] of min) {
      const hi = max.get(k);
      if (hi && above(lo.value, hi.value))
        errs.push(
          p
            .child('min')
            .key(k)
            .invalid(lo.raw, `min value ${quantityText(lo.raw)} is greater than max value ${quantityText(hi.raw)}`),
        );
    }
    for (const [k, dr] of defReq) {
      const lo = min.get(k);
      const hi = max.get(k);
      const d = def.get(k);
      const dp = p.child('defaultRequest').key(k);
      if (lo && above(lo.value, dr.value))
        errs.push(dp.invalid(dr.raw, `min value ${quantityText(lo.raw)} is greater than default request value ${quantityText(dr.raw)}`));
      if (hi && above(dr.value, hi.value))
        errs.push(dp.invalid(dr.raw, `default request value ${quantityText(dr.raw)} is greater than max value ${quantityText(hi.raw)}`));
      if (d && above(dr.value, d.value))
        errs.push(dp.invalid(dr.raw, `default request value ${quantityText(dr.raw)} is greater than default limit value ${quantityText(d.raw)}`));
    }
    for (const [k, d] of def) {
      const lo = min.get(k);
      const hi = max.get(k);
      const dp = p.child('default').key(k);
      if (lo && above(lo.value, d.value))
        errs.push(dp.invalid(d.raw, `min value ${quantityText(lo.raw)} is greater than default value ${quantityText(d.raw)}`));
      if (hi && above(d.value, hi.value))
        errs.push(dp.invalid(d.raw, `default value ${quantityText(d.raw)} is greater than max value ${quantityText(hi.raw)}`));
    }
  }
  return errs;
}

export const limitRangeStrategy = defineStrategy({
  defaults: defaultLimitRange,
  validate: validateLimitRange,
});

const quotaScopes = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'];

function validateResourceQuota(rq: Readonly<Obj>): FieldError[] {
  const spec = objAt(rq, 'spec') ?? {};
  const sp = FieldPath.root('spec');
  const errs = validateResourceList(objAt(spec, 'hard'), sp.child('hard'));
  arrAt(spec, 'scopes').forEach((s, i) => {
    errs.push(...validateEnum(typeof s === 'string' ? s : '', sp.child('scopes').index(i), quotaScopes));
  });
  for (const [expr, i] of objItems(objAt(spec, 'scopeSelector'), 'matchExpressions')) {
    const p = sp.child('scopeSelector').child('matchExpressions').index(i);
    errs.push(...validateEnum(strAt(expr, 'scopeName'), p.child('scopeName'), quotaScopes));
    errs.push(...validateEnum(strAt(expr, 'operator'), p.child('operator'), ['DoesNotExist', 'Exists', 'In', 'NotIn']));
  }
  return errs;
}

export const resourceQuotaStrategy = defineStrategy({
  statusSubresource: true,
  validate: validateResourceQuota,
  validateStatus(rq) {
    const status = objAt(rq, 'status') ?? {};
    const sp = FieldPath.root('status');
    return [...validateResourceList(objAt(status, 'hard'), sp.child('hard')), ...validateResourceList(objAt(status, 'used'), sp.child('used'))];
  },
});
