// The nodes strategy: allocatable defaults to capacity, status written by the agent through
// /status, and checks on taints, pod CIDRs and provider IDs.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, ensureObj, objItems, arrAt, strAt, clone } from './object-access.js';
import { defineStrategy, specDiffers } from './strategy.js';
import { isQualifiedName, isValidLabelValue, isCIDR, CIDR_ERROR } from './name-validation.js';
import { validateEnum } from './field-rules.js';
import { quantityValue } from '../resource-quantity.js';

const taintEffects = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

function validateNode(node: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  const spec = objAt(node, 'spec') ?? {};
  const sp = FieldPath.root('spec');
  const seen = new Set<string>();
  for (const [taint, i] of objItems(spec, 'taints')) {
    const p = sp.child('taints').index(i);
    const key = strAt(taint, 'key');
    for (const m of isQualifiedName(key)) errs.push(p.child('key').invalid(key, m));
    const value = strAt(taint, 'value');
    for (const m of isValidLabelValue(value)) errs.push(p.child('value').invalid(value, m));
    const effect = strAt(taint, 'effect');
    errs.push(...validateEnum(effect, p.child('effect'), taintEffects));
    const id = `${key}:${effect}`;
    if (seen.has(id)) errs.push(p.invalid(taint, 'taints must be unique by key and effect pair'));
    seen.add(id);
  }
  const cidrs = arrAt(spec, 'podCIDRs');
  cidrs.forEach((c, i) => {
    if (typeof c === 'string' && !isCIDR(c)) errs.push(sp.child('podCIDRs').index(i).invalid(c, CIDR_ERROR));
  });
  const podCIDR = strAt(spec, 'podCIDR');
  if (podCIDR && cidrs.length > 0 && cidrs[0] !== podCIDR) errs.push(sp.child('podCIDRs').invalid(cidrs, 'first entry must match `podCIDR`'));
  // ValidateResourceQuantityValue: the scheduler subtracts requests from these.
  const status = objAt(node, 'status');
  for (const list of ['capacity', 'allocatable']) {
    for (const [name, q] of Object.entries(objAt(status, list) ?? {})) {
      if ((quantityValue(q) ?? 0) < 0) errs.push(FieldPath.root('status').child(list).child(name).invalid(q, 'must be greater than or equal to 0'));
    }
  }
  return errs;
}

function validateNodeUpdate(node: Readonly<Obj>, old: Readonly<Obj>): FieldError[] {
  const errs = validateNode(node);
  const spec = objAt(node, 'spec') ?? {};
  const oldSpec = objAt(old, 'spec') ?? {};
  const sp = FieldPath.root('spec');
  if (strAt(oldSpec, 'podCIDR') && strAt(spec, 'podCIDR') !== strAt(oldSpec, 'podCIDR'))
    errs.push(sp.child('podCIDR').forbidden('node updates may not change podCIDR except from "" to valid'));
  if (arrAt(oldSpec, 'podCIDRs').length > 0 && JSON.stringify(spec['podCIDRs']) !== JSON.stringify(oldSpec['podCIDRs']))
    errs.push(sp.child('podCIDRs').forbidden('node updates may not change podCIDR except from "" to valid'));
  if (strAt(oldSpec, 'providerID') && strAt(spec, 'providerID') !== strAt(oldSpec, 'providerID'))
    errs.push(sp.child('providerID').forbidden('node updates may not change providerID except from "" to valid'));
  return errs;
}

export const nodeStrategy = defineStrategy({
  statusSubresource: true,
  // The agent registers its node with status already filled in.
  initialStatus: (node) => (objAt(node, 'status') ? clone(objAt(node, 'status')) : {}),
  specChanged: specDiffers,
  defaults(node) {
    const status = objAt(node, 'status');
    if (status && status['allocatable'] === undefined && status['capacity'] !== undefined) status['allocatable'] = clone(status['capacity']);
    ensureObj(node, 'spec');
  },
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
});
