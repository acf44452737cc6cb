// Narrowing helpers for objects decoded from JSON, so strategies can read and fill nested fields
// without casts at every step. Objects are plain JSON: records, arrays, strings, numbers, booleans.
import { isRecord } from '../../lang/index.js';

export type Obj = Record<string, unknown>;

/** The object at `parent[key]`, or undefined when absent or not an object. */
export function objAt(parent: Readonly<Obj> | undefined, key: string): Obj | undefined {
  const v = parent?.[key];
  return isRecord(v) ? v : undefined;
}

/** The object at `parent[key]`, created empty when absent (defaulting fills nested structs). */
export function ensureObj(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (isRecord(v)) return v;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

export function arrAt(parent: Readonly<Obj> | undefined, key: string): unknown[] {
  const v = parent?.[key];
  return Array.isArray(v) ? v : [];
}

/** Elements of `parent[key]` that are objects, each with its index in the original array. */
export function objItems(parent: Readonly<Obj> | undefined, key: string): Array<[Obj, number]> {
  const out: Array<[Obj, number]> = [];
  arrAt(parent, key).forEach((v, i) => {
    if (isRecord(v)) out.push([v, i]);
  });
  return out;
}

export function strAt(parent: Readonly<Obj> | undefined, key: string): string {
  const v = parent?.[key];
  return typeof v === 'string' ? v : '';
}

export function numAt(parent: Readonly<Obj> | undefined, key: string): number | undefined {
  const v = parent?.[key];
  return typeof v === 'number' ? v : undefined;
}

/** A string-to-string map (labels, selectors, data); non-string values are dropped. */
export function stringMapAt(parent: Readonly<Obj> | undefined, key: string): Record<string, string> {
  const v = objAt(parent, key);
  const out: Record<string, string> = {};
  if (!v) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

function isUnset(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Sets `obj[key] = value` when the field is absent, as Go defaulting does for nil pointers. */
export function setDefault(obj: Obj, key: string, value: unknown): void {
  if (isUnset(obj[key])) obj[key] = value;
}

/** Sets `obj[key]` when absent or the empty string (Go's zero value for string enums). */
export function setDefaultString(obj: Obj, key: string, value: string): void {
  if (isUnset(obj[key]) || obj[key] === '') obj[key] = value;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Sets `obj[key]` to a copy of `old[key]`, or removes it when `old` lacks it. */
export function copyFrom(obj: Obj, old: Readonly<Obj>, key: string): void {
  if (old[key] === undefined) delete obj[key];
  else obj[key] = clone(old[key]);
}

/** Now as metav1.Time serialises it: RFC 3339 in UTC with whole seconds. */
