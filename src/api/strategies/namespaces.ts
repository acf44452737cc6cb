// The namespaces strategy: the metadata.name label, Active phase and the `kubernetes` finalizer
// on create, spec.finalizers that only the /finalize subresource may change, and deletion that
// turns a namespace Terminating until the namespace controller has emptied and finalized it.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, copyFrom, objAt, ensureObj, arrAt, strAt, clone } from './object-access.js';
import { defineStrategy } from './strategy.js';
import { isQualifiedName, nameIsDNSLabel } from './name-validation.js';
import { validateEnum } from './field-rules.js';

export const NAME_LABEL = 'kubernetes.io/metadata.name';
const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** Every named namespace carries its name as a label (kube's Canonicalize keeps it true). */
function labelWithName(ns: Obj): void {
  const meta = ensureObj(ns, 'metadata');
  const name = strAt(meta, 'name');
  if (name) ensureObj(meta, 'labels')[NAME_LABEL] = name;
}

function validateNamespace(ns: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('spec').child('finalizers');
  for (const f of arrAt(objAt(ns, 'spec'), 'finalizers')) {
    if (typeof f !== 'string') continue;
    for (const m of isQualifiedName(f)) errs.push(path.invalid(f, m));
    if (!f.includes('/') && !standardFinalizers.has(f)) errs.push(path.invalid(f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

function validateNamespaceStatus(ns: Readonly<Obj>): FieldError[] {
  const phase = strAt(objAt(ns, 'status'), 'phase');
  return phase ? validateEnum(phase, FieldPath.root('status').child('phase'), ['Active', 'Terminating']) : [];
}

export const namespaceStrategy = defineStrategy({
  nameFn: nameIsDNSLabel,
  statusSubresource: true,
  initialStatus: () => ({ phase: 'Active' }),
  defaults: labelWithName,
  prepareForCreate(ns) {
    const s = ensureObj(ns, 'spec');
    const finalizers = arrAt(s, 'finalizers');
    if (!finalizers.includes('kubernetes')) s['finalizers'] = [...finalizers, 'kubernetes'];
    labelWithName(ns);
  },
  prepareForUpdate(ns, old) {
    // Finalizers change only through /finalize.
    copyFrom(ensureObj(ns, 'spec'), objAt(old, 'spec') ?? {}, 'finalizers');
    labelWithName(ns);
  },
  validate: validateNamespace,
  validateUpdate: validateNamespace,
  validateStatus: validateNamespaceStatus,
  pendingFinalizers: specFinalizers,
  prepareForDelete(ns) {
    if (specFinalizers(ns).length) ensureObj(ns, 'status')['phase'] = 'Terminating';
  },
});

/** spec.finalizers: what the namespace controller still has to do before the namespace goes. */
function specFinalizers(ns: Readonly<Obj>): string[] {
  return arrAt(objAt(ns, 'spec'), 'finalizers').filter((f): f is string => typeof f === 'string');
}

/** Before a write to /finalize: only spec.finalizers comes from the request. */
export function prepareNamespaceFinalize(ns: Obj, old: Readonly<Obj>): void {
  const finalizers = objAt(ns, 'spec')?.['finalizers'];
  for (const k of Object.keys(ns)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete ns[k];
  for (const k of Object.keys(old)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') ns[k] = clone(old[k]);
  const s = ensureObj(ns, 'spec');
  if (finalizers === undefined) delete s['finalizers'];
  else s['finalizers'] = clone(finalizers);
}

export function validateNamespaceFinalize(ns: Readonly<Obj>): FieldError[] {
  return validateNamespace(ns);
}
