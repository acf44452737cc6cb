// The structural schema of a CRD version and what the apiextensions server does with it: validate
// an object against it (with go-openapi's wording), prune fields it does not name, and fill in
// `default`s. Server-side apply reads the same `StructuralSchema` for list types and map keys.
import type { FieldError } from '../field-errors.js';
import { isRecord } from '../../lang/index.js';

/** One node of a CRD's openAPIV3Schema, with the fields Skiff acts on. */
export interface StructuralSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  uniqueItems?: boolean;
  nullable?: boolean;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: unknown[];
}

type Obj = Record<string, unknown>;

/** The JSON type name go-openapi reports for a value. */
function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  return 'object';
}

function typeMatches(type: string, v: unknown): boolean {
  const actual = typeOf(v);
  return actual === type || (type === 'number' && actual === 'integer');
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The schema of a property, for objects and for maps (additionalProperties). */
function propertySchema(s: StructuralSchema, key: string): StructuralSchema | undefined {
  const p = s.properties?.[key];
  if (p) return p;
  return isRecord(s.additionalProperties) ? s.additionalProperties : undefined;
}

/**
 * Validates a value against a schema as the apiextensions server does, reporting every failure.
 * `path` is the field path of the value (`spec.replicas`); the root object passes ''.
 */
export function validateAgainstSchema(s: StructuralSchema, value: unknown, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  walkValidate(s, value, path, errs, path === '');
  return errs;
}

function walkValidate(s: StructuralSchema, v: unknown, path: string, errs: FieldError[], root: boolean): void {
  const name = path || '<root>';
  if (v === null) {
    if (s.nullable || !s.type || s['x-kubernetes-int-or-string'] || s['x-kubernetes-preserve-unknown-fields']) return;
    errs.push({ type: 'FieldValueTypeInvalid', field: path, badValue: 'null', detail: `${name} in body must be of type ${s.type}: "null"` });
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    const t = typeOf(v);
    if (t !== 'integer' && t !== 'string') {
      errs.push({ type: 'FieldValueTypeInvalid', field: path, badValue: t, detail: `${name} in body must be of type integer,string: "${t}"` });
      return;
    }
  } else if (s.type && !typeMatches(s.type, v)) {
    const t = typeOf(v);
    errs.push({ type: 'FieldValueTypeInvalid', field: path, badValue: t, detail: `${name} in body must be of type ${s.type}: "${t}"` });
    return;
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    errs.push({ type: 'FieldValueNotSupported', field: path, badValue: v, detail: `supported values: ${s.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof v === 'string') {
    const length = [...v].length;
    if (s.maxLength !== undefined && length > s.maxLength)
      errs.push({ type: 'FieldValueTooLong', field: path, badValue: v, detail: `may not be more than ${s.maxLength} bytes` });
    if (s.minLength !== undefined && length < s.minLength)
      errs.push({ type: 'FieldValueInvalid', field: path, badValue: v, detail: `${name} in body should be at least ${s.minLength} chars long` });
    if (s.pattern !== undefined && !patternMatches(s.pattern, v))
      errs.push({ type: 'FieldValueInvalid', field: path, badValue: v, detail: `${name} in body should match '${s.pattern}'` });
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
      const rel = s.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      errs.push({ type: 'FieldValueInvalid', field: path, badValue: v, detail: `${name} in body should be ${rel} ${s.minimum}` });
    }
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
      const rel = s.exclusiveMaximum ? 'less than' : 'less than or equal to';
      errs.push({ type: 'FieldValueInvalid', field: path, badValue: v, detail: `${name} in body should be ${rel} ${s.maximum}` });
    }
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems)
      errs.push({ type: 'FieldValueTooMany', field: path, badValue: v.length, detail: `must have at most ${s.maxItems} items` });
    if (s.minItems !== undefined && v.length < s.minItems)
      errs.push({ type: 'FieldValueInvalid', field: path, badValue: v.length, detail: `${name} in body should have at least ${s.minItems} items` });
    validateListType(s, v, path, errs);
    if (s.items) v.forEach((item, i) => walkValidate(s.items!, item, `${path}[${i}]`, errs, false));
  }
  if (isRecord(v)) {
    const embedded = s['x-kubernetes-embedded-resource'] === true;
    for (const r of s.required ?? []) if (!(r in v)) errs.push({ type: 'FieldValueRequired', field: child(path, r), detail: '' });
    const count = Object.keys(v).length;
    if (s.maxProperties !== undefined && count > s.maxProperties)
      errs.push({ type: 'FieldValueTooMany', field: path, badValue: count, detail: `must have at most ${s.maxProperties} items` });
    if (s.minProperties !== undefined && count < s.minProperties)
      errs.push({ type: 'FieldValueInvalid', field: path, badValue: count, detail: `${name} in body should have at least ${s.minProperties} properties` });
    if (embedded) {
      if (typeof v.apiVersion !== 'string' || v.apiVersion === '')
        errs.push({ type: 'FieldValueRequired', field: child(path, 'apiVersion'), detail: 'must not be empty' });
      if (typeof v.kind !== 'string' || v.kind === '') errs.push({ type: 'FieldValueRequired', field: child(path, 'kind'), detail: 'must not be empty' });
    }
    for (const [k, item] of Object.entries(v)) {
      // The envelope of the root object is checked as ObjectMeta, not against the schema.
      if (root && (k === 'metadata' || k === 'apiVersion' || k === 'kind')) continue;
      const ps = propertySchema(s, k);
      if (ps) walkValidate(ps, item, child(path, k), errs, false);
    }
  }
}

const patternCache = new Map<string, RegExp | null>();

function patternMatches(pattern: string, value: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re ? re.test(value) : true;
}

/** x-kubernetes-list-type set and map: duplicates are refused as kube's Duplicate value errors. */
function validateListType(s: StructuralSchema, v: unknown[], path: string, errs: FieldError[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    const seen = new Set<string>();
    v.forEach((item, i) => {
      const k = JSON.stringify(item);
      if (seen.has(k)) errs.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, badValue: item });
      seen.add(k);
    });
  } else if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    v.forEach((item, i) => {
      if (!isRecord(item)) return;
      const k = JSON.stringify(keys.map((key) => item[key] ?? s.items?.properties?.[key]?.default ?? null));
      if (seen.has(k)) {
        const shown: Obj = {};
        for (const key of keys) shown[key] = item[key];
        errs.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, badValue: keys.length === 1 ? item[keys[0]!] : shown });
      }
      seen.add(k);
    });
  }
}

/**
 * Removes fields the schema does not name, in place, and returns their paths. Metadata of the
 * root and of embedded resources keeps only ObjectMeta's fields (left to ObjectMeta's own rules).
 */
export function pruneUnknownFields(s: StructuralSchema, value: unknown, path = '', root = true): string[] {
  const pruned: string[] = [];
  prune(s, value, path, root, pruned);
  return pruned;
}

function prune(s: StructuralSchema, v: unknown, path: string, envelope: boolean, pruned: string[]): void {
  if (Array.isArray(v)) {
    if (s.items) v.forEach((item, i) => prune(s.items!, item, `${path}[${i}]`, false, pruned));
    return;
  }
  if (!isRecord(v)) return;
  const embedded = envelope || s['x-kubernetes-embedded-resource'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  for (const k of Object.keys(v)) {
    if (embedded && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    const ps = propertySchema(s, k);
    if (ps) prune(ps, v[k], child(path, k), false, pruned);
    else if (!preserve && s.additionalProperties !== true) {
      pruned.push(child(path, k));
      delete v[k];
    }
  }
}

/** Fills in `default` values where fields are missing, in place (kube defaults after pruning). */
export function applyDefaults(s: StructuralSchema, value: unknown): void {
  if (Array.isArray(value)) {
    if (s.items) for (const item of value) applyDefaults(s.items, item);
    return;
  }
  if (!isRecord(value)) return;
  for (const [k, ps] of Object.entries(s.properties ?? {})) {
    if (!(k in value) && ps.default !== undefined) value[k] = structuredClone(ps.default);
    else if (value[k] === null && ps.default !== undefined && !ps.nullable) value[k] = structuredClone(ps.default);
    if (k in value) applyDefaults(ps, value[k]);
  }
  if (isRecord(s.additionalProperties)) {
    const ap = s.additionalProperties as StructuralSchema;
    for (const k of Object.keys(value)) if (!s.properties?.[k]) applyDefaults(ap, value[k]);
  }
}

/** Whether any node of the schema declares a default (objects of such schemas are defaulted on read). */
export function hasDefaults(s: StructuralSchema): boolean {
  if (s.default !== undefined) return true;
  if (s.properties && Object.values(s.properties).some(hasDefaults)) return true;
  if (s.items && hasDefaults(s.items)) return true;
  return typeof s.additionalProperties === 'object' && hasDefaults(s.additionalProperties);
}
