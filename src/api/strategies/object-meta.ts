// ObjectMeta checks shared by every resource, as apimachinery's ValidateObjectMeta and
// ValidateObjectMetaUpdate do them, plus label selector validation and matching.

import { FieldPath, type FieldError } from '../field-errors.js';
import { type Obj, objAt, stringMapAt, strAt, arrAt, numAt } from './object-access.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameValidator } from './name-validation.js';
import { isRecord, jsonEqual } from '../../lang/index.js';

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const FIELD_IMMUTABLE = 'field is immutable';

export function validateLabels(labels: Readonly<Record<string, string>>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(path.invalid(k, m));
    for (const m of isValidLabelValue(v)) errs.push(path.invalid(v, m));
  }
  return errs;
}

export function validateAnnotations(annotations: Readonly<Record<string, string>>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(path.invalid(k, m));
    total += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(path.tooLong('', TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

export function validateImmutable(newValue: unknown, oldValue: unknown, path: FieldPath): FieldError[] {
  return jsonEqual(newValue, oldValue) ? [] : [path.invalid(newValue, FIELD_IMMUTABLE)];
}

function validateOwnerReferences(meta: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  const refs = arrAt(meta, 'ownerReferences');
  for (const ref of refs) {
    if (!isRecord(ref)) continue;
    const apiVersion = strAt(ref, 'apiVersion');
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(path.child('apiVersion').invalid(apiVersion, 'version must not be empty'));
    if (!strAt(ref, 'kind')) errs.push(path.child('kind').invalid(strAt(ref, 'kind'), 'kind must not be empty'));
    if (!strAt(ref, 'name')) errs.push(path.child('name').invalid(strAt(ref, 'name'), 'name must not be empty'));
    if (!strAt(ref, 'uid')) errs.push(path.child('uid').invalid(strAt(ref, 'uid'), 'uid must not be empty'));
    if (ref['controller'] === true) controllers.push(`${strAt(ref, 'kind')}/${strAt(ref, 'name')}`);
  }
  if (controllers.length > 1)
    errs.push(path.invalid(refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  return errs;
}

function validateFinalizers(meta: Readonly<Obj>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const finalizers = arrAt(meta, 'finalizers').filter((f): f is string => typeof f === 'string');
  for (const f of finalizers) for (const m of isQualifiedName(f)) errs.push(path.invalid(f, m));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion'))
    errs.push(path.invalid(finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  return errs;
}

export interface MetaRules {
  readonly nameFn: NameValidator;
}

/** ValidateObjectMeta: name or generateName, namespace format, labels, annotations, owners, finalizers. */
export function validateObjectMeta(obj: Readonly<Obj>, rules: MetaRules, path = FieldPath.root('metadata')): FieldError[] {
  const meta = objAt(obj, 'metadata') ?? {};
  const errs: FieldError[] = [];
  const name = strAt(meta, 'name');
  const generateName = strAt(meta, 'generateName');
  if (generateName) for (const m of rules.nameFn(generateName, true)) errs.push(path.child('generateName').invalid(generateName, m));
  if (!name) errs.push(path.child('name').required('name or generateName is required'));
  else for (const m of rules.nameFn(name, false)) errs.push(path.child('name').invalid(name, m));
  const namespace = strAt(meta, 'namespace');
  if (namespace) for (const m of isDNS1123Label(namespace)) errs.push(path.child('namespace').invalid(namespace, m));
  const generation = numAt(meta, 'generation');
  if (generation !== undefined && generation < 0) errs.push(path.child('generation').invalid(generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(stringMapAt(meta, 'labels'), path.child('labels')));
  errs.push(...validateAnnotations(stringMapAt(meta, 'annotations'), path.child('annotations')));
  errs.push(...validateOwnerReferences(meta, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta, path.child('finalizers')));
  return errs;
}

/** The namespace rule ValidateObjectMeta applies by scope, for the caller that knows the scope. */
export function validateNamespaceScope(obj: Readonly<Obj>, namespaced: boolean, path = FieldPath.root('metadata')): FieldError[] {
  const namespace = strAt(objAt(obj, 'metadata'), 'namespace');
  if (namespaced && !namespace) return [path.child('namespace').required()];
  if (!namespaced && namespace) return [path.child('namespace').forbidden('not allowed on this type')];
  return [];
}

/** ValidateObjectMetaUpdate: identity fields are immutable and the rest is re-validated. */
export function validateObjectMetaUpdate(obj: Readonly<Obj>, old: Readonly<Obj>, path = FieldPath.root('metadata')): FieldError[] {
  const meta = objAt(obj, 'metadata') ?? {};
  const oldMeta = objAt(old, 'metadata') ?? {};
  const errs: FieldError[] = [];
  if (oldMeta['deletionTimestamp']) {
    const oldFinalizers = new Set(arrAt(oldMeta, 'finalizers'));
    const added = arrAt(meta, 'finalizers').filter((f) => !oldFinalizers.has(f));
    if (added.length > 0)
      errs.push(
        path.child('finalizers').forbidden(`no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`),
      );
  }
  const generation = numAt(meta, 'generation') ?? 0;
  const oldGeneration = numAt(oldMeta, 'generation') ?? 0;
  if (generation < oldGeneration) errs.push(path.child('generation').invalid(generation, 'must not be decremented'));
  // Strings compare as Go does, where absent and "" are the same value.
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp']) errs.push(...validateImmutable(meta[f] ?? '', oldMeta[f] ?? '', path.child(f)));
  for (const f of ['deletionTimestamp', 'deletionGracePeriodSeconds']) errs.push(...validateImmutable(meta[f], oldMeta[f], path.child(f)));
  errs.push(...validateLabels(stringMapAt(meta, 'labels'), path.child('labels')));
  errs.push(...validateAnnotations(stringMapAt(meta, 'annotations'), path.child('annotations')));
  errs.push(...validateOwnerReferences(meta, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta, path.child('finalizers')));
  return errs;
}

/** ValidateLabelSelector for metav1.LabelSelector (matchLabels and matchExpressions). */
export function validateLabelSelector(selector: Readonly<Obj> | undefined, path: FieldPath): FieldError[] {
  if (!selector) return [];
  const errs = validateLabels(stringMapAt(selector, 'matchLabels'), path.child('matchLabels'));
  arrAt(selector, 'matchExpressions').forEach((expr, i) => {
    if (!isRecord(expr)) return;
    const p = path.child('matchExpressions').index(i);
    const op = strAt(expr, 'operator');
    const values = arrAt(expr, 'values');
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(p.child('values').required("must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(p.child('values').forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(p.child('operator').invalid(op, 'not a valid selector operator'));
    }
    const key = strAt(expr, 'key');
    for (const m of isQualifiedName(key)) errs.push(p.child('key').invalid(key, m));
    values.forEach((v, j) => {
      if (typeof v !== 'string') return;
      for (const m of isValidLabelValue(v)) errs.push(p.child('values').index(j).invalid(v, m));
    });
  });
  return errs;
}

/** True when a metav1.LabelSelector has neither matchLabels nor matchExpressions. */
export function isEmptySelector(selector: Readonly<Obj> | undefined): boolean {
  return !selector || (Object.keys(stringMapAt(selector, 'matchLabels')).length === 0 && arrAt(selector, 'matchExpressions').length === 0);
}

/** Whether labels satisfy a metav1.LabelSelector; an empty selector matches everything. */
export function selectorMatches(selector: Readonly<Obj> | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(stringMapAt(selector, 'matchLabels'))) if (labels[k] !== v) return false;
  for (const expr of arrAt(selector, 'matchExpressions')) {
    if (!isRecord(expr)) return false;
    const key = strAt(expr, 'key');
    const values = arrAt(expr, 'values');
    const has = Object.hasOwn(labels, key);
    switch (strAt(expr, 'operator')) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
