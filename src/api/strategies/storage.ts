// Strategies for storage: PersistentVolumeClaims (also the claim templates of StatefulSets),
// PersistentVolumes and storage.k8s.io StorageClasses.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, ensureObj, arrAt, strAt, setDefault, setDefaultString, clone } from './object-access.js';
import { defineStrategy } from './strategy.js';
import { validateLabelSelector, validateImmutable } from './object-meta.js';
import { defaultVolumeSource, volumeSourcesOf } from './pod-spec-defaults.js';
import { isDNS1123Subdomain, isQualifiedName } from './name-validation.js';
import { validateEnum } from './field-rules.js';
import { kubeTime } from '../kube-time.js';
import { jsonEqual } from '../../lang/index.js';
import { QUANTITY_FORMAT_WRONG, quantityValue } from '../resource-quantity.js';

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const volumeModes = ['Block', 'Filesystem'];

export function defaultClaimSpec(spec: Obj): void {
  setDefaultString(spec, 'volumeMode', 'Filesystem');
}

function validateAccessModes(spec: Readonly<Obj>, path: FieldPath, requiredDetail: string): FieldError[] {
  const errs: FieldError[] = [];
  const modes = arrAt(spec, 'accessModes');
  if (modes.length === 0) errs.push(path.required(requiredDetail));
  for (const m of modes) if (typeof m !== 'string' || !accessModes.includes(m)) errs.push(path.notSupported(m, accessModes));
  return errs;
}

/** PersistentVolumeClaimSpec as ValidatePersistentVolumeClaimSpec checks it. */
export function validateClaimSpec(spec: Readonly<Obj> | undefined, path: FieldPath, _isTemplate = false): FieldError[] {
  const s = spec ?? {};
  const errs = validateAccessModes(s, path.child('accessModes'), 'at least 1 access mode is required');
  errs.push(...validateLabelSelector(objAt(s, 'selector'), path.child('selector')));
  const storage = objAt(objAt(s, 'resources'), 'requests')?.['storage'];
  if (storage === undefined) errs.push(path.child('resources').key('storage').required());
  else {
    const value = quantityValue(storage);
    const p = path.child('resources').child('requests').key('storage');
    if (value === undefined) errs.push(p.invalid(storage, QUANTITY_FORMAT_WRONG));
    else if (value <= 0) errs.push(p.invalid(storage, 'must be greater than zero'));
  }
  const mode = strAt(s, 'volumeMode');
  if (mode) errs.push(...validateEnum(mode, path.child('volumeMode'), volumeModes));
  const className = strAt(s, 'storageClassName');
  if (className) errs.push(...isDNS1123Subdomain(className).map((m) => path.child('storageClassName').invalid(className, m)));
  return errs;
}

const specPath = FieldPath.root('spec');

function validateClaimUpdate(pvc: Readonly<Obj>, old: Readonly<Obj>): FieldError[] {
  const errs = validateClaimSpec(objAt(pvc, 'spec'), specPath);
  const newSpec = clone(objAt(pvc, 'spec') ?? {});
  const oldSpec = clone(objAt(old, 'spec') ?? {});
  // The binder may set volumeName once; bound claims may change their requested size.
  if (!strAt(oldSpec, 'volumeName')) {
    if (newSpec['volumeName'] === undefined) delete oldSpec['volumeName'];
    else oldSpec['volumeName'] = newSpec['volumeName'];
  }
  for (const s of [newSpec, oldSpec]) {
    delete s['volumeAttributesClassName'];
    const requests = objAt(objAt(s, 'resources'), 'requests');
    if (requests) delete requests['storage'];
  }
  if (!jsonEqual(newSpec, oldSpec))
    errs.push(specPath.forbidden('spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  const newSize = quantityValue(objAt(objAt(objAt(pvc, 'spec'), 'resources'), 'requests')?.['storage']);
  const oldSize = quantityValue(objAt(objAt(objAt(old, 'spec'), 'resources'), 'requests')?.['storage']);
  if (newSize !== undefined && oldSize !== undefined && newSize < oldSize)
    errs.push(specPath.child('resources').child('requests').child('storage').forbidden('field can not be less than previous value'));
  return errs;
}

export const persistentVolumeClaimStrategy = defineStrategy({
  statusSubresource: true,
  initialStatus: () => ({ phase: 'Pending' }),
  defaults(pvc) {
    defaultClaimSpec(ensureObj(pvc, 'spec'));
    setDefaultString(ensureObj(pvc, 'status'), 'phase', 'Pending');
  },
  validate: (pvc) => validateClaimSpec(objAt(pvc, 'spec'), specPath),
  validateUpdate: validateClaimUpdate,
});

// PersistentVolumes

function validatePersistentVolume(pv: Readonly<Obj>): FieldError[] {
  const s = objAt(pv, 'spec') ?? {};
  const errs = validateAccessModes(s, specPath.child('accessModes'), 'must specify at least 1 access mode');
  const capacity = objAt(s, 'capacity');
  if (!capacity || Object.keys(capacity).length === 0) errs.push(specPath.child('capacity').required());
  else {
    for (const [k, q] of Object.entries(capacity)) {
      const p = specPath.child('capacity').key(k);
      if (k !== 'storage') errs.push(p.notSupported(k, ['storage']));
      else if (quantityValue(q) === undefined) errs.push(p.invalid(q, QUANTITY_FORMAT_WRONG));
    }
  }
  const reclaim = strAt(s, 'persistentVolumeReclaimPolicy');
  if (reclaim) errs.push(...validateEnum(reclaim, specPath.child('persistentVolumeReclaimPolicy'), ['Delete', 'Recycle', 'Retain']));
  const mode = strAt(s, 'volumeMode');
  if (mode) errs.push(...validateEnum(mode, specPath.child('volumeMode'), volumeModes));
  const sources = volumeSourcesOf(s).filter((k) => k !== 'emptyDir' && k !== 'secret' && k !== 'configMap');
  if (objAt(s, 'local')) sources.push('local');
  if (sources.length === 0) errs.push(specPath.required('must specify a volume type'));
  else if (sources.length > 1) errs.push(specPath.child(sources[1] ?? '').forbidden('may not specify more than 1 volume type'));
  const className = strAt(s, 'storageClassName');
  if (className) errs.push(...isDNS1123Subdomain(className).map((m) => specPath.child('storageClassName').invalid(className, m)));
  return errs;
}

function persistentVolumeSource(spec: Readonly<Obj> | undefined): Obj {
  const out: Obj = {};
  if (!spec) return out;
  for (const k of [...volumeSourcesOf(spec), 'local']) if (spec[k] !== undefined) out[k] = spec[k];
  return out;
}

export const persistentVolumeStrategy = defineStrategy({
  statusSubresource: true,
  initialStatus: () => ({ phase: 'Pending', lastPhaseTransitionTime: kubeTime() }),
  defaults(pv) {
    const s = ensureObj(pv, 'spec');
    setDefaultString(s, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefaultString(s, 'volumeMode', 'Filesystem');
    defaultVolumeSource(s);
    setDefaultString(ensureObj(pv, 'status'), 'phase', 'Pending');
  },
  prepareForStatusUpdate(pv, old) {
    const phase = strAt(objAt(pv, 'status'), 'phase');
    if (phase && phase !== strAt(objAt(old, 'status'), 'phase')) ensureObj(pv, 'status')['lastPhaseTransitionTime'] = kubeTime();
  },
  validate: validatePersistentVolume,
  validateUpdate: (pv, old) => {
    const errs = validatePersistentVolume(pv);
    if (!jsonEqual(persistentVolumeSource(objAt(pv, 'spec')), persistentVolumeSource(objAt(old, 'spec'))))
      errs.push(specPath.child('persistentvolumesource').forbidden('spec.persistentvolumesource is immutable after creation'));
    errs.push(...validateImmutable(strAt(objAt(pv, 'spec'), 'volumeMode'), strAt(objAt(old, 'spec'), 'volumeMode'), specPath.child('volumeMode')));
    return errs;
  },
});

// StorageClasses

function validateStorageClass(sc: Readonly<Obj>): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = strAt(sc, 'provisioner');
  const p = FieldPath.root('provisioner');
  if (!provisioner) errs.push(p.required());
  else {
    if (provisioner.length > 63) errs.push(p.tooLong(provisioner, 63));
    for (const m of isQualifiedName(provisioner.toLowerCase())) errs.push(p.invalid(provisioner, m));
  }
  const reclaim = strAt(sc, 'reclaimPolicy');
  if (reclaim) errs.push(...validateEnum(reclaim, FieldPath.root('reclaimPolicy'), ['Delete', 'Retain']));
  const binding = strAt(sc, 'volumeBindingMode');
  if (binding) errs.push(...validateEnum(binding, FieldPath.root('volumeBindingMode'), ['Immediate', 'WaitForFirstConsumer']));
  return errs;
}

export const storageClassStrategy = defineStrategy({
  defaults(sc) {
    setDefault(sc, 'reclaimPolicy', 'Delete');
    setDefault(sc, 'volumeBindingMode', 'Immediate');
  },
  validate: validateStorageClass,
  validateUpdate(sc, old) {
    const errs = validateStorageClass(sc);
    if (!jsonEqual(sc['parameters'] ?? {}, old['parameters'] ?? {})) errs.push(FieldPath.root('parameters').forbidden('updates to parameters are forbidden.'));
    if (strAt(sc, 'provisioner') !== strAt(old, 'provisioner')) errs.push(FieldPath.root('provisioner').forbidden('updates to provisioner are forbidden.'));
    if (strAt(sc, 'reclaimPolicy') !== strAt(old, 'reclaimPolicy'))
      errs.push(FieldPath.root('reclaimPolicy').forbidden('updates to reclaimPolicy are forbidden.'));
    errs.push(...validateImmutable(sc['volumeBindingMode'], old['volumeBindingMode'], FieldPath.root('volumeBindingMode')));
    return errs;
  },
});
