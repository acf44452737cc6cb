// Query parameters shared by the write verbs (dryRun, fieldManager, fieldValidation) and the
// read verbs (selectors, paging, resourceVersion), validated as kube-apiserver validates them.
import { ApiError, type ResourceInfo, parseFieldSelector, parseLabelSelector, type FieldSelector, type LabelSelector } from '../../api/index.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function dryRunParam(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw ApiError.badRequest(`Invalid dry run value: dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

export function fieldValidationParam(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw ApiError.badRequest(`invalid fieldValidation directive: ${v}: fieldValidation must be one of "Ignore", "Warn", or "Strict"`);
}

export function fieldManagerParam(query: URLSearchParams): string | undefined {
  const v = query.get('fieldManager');
  if (v === null) return undefined;
  if (v.length > 128) throw ApiError.badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
  if (/[^\x20-\x7e]/.test(v)) throw ApiError.badRequest(`fieldManager: Invalid value: ${JSON.stringify(v)}: must only contain printable characters`);
  return v;
}

export interface SelectorParams {
  labelSelector: LabelSelector | undefined;
  fieldSelector: FieldSelector | undefined;
  /** metadata.name=<x> in the field selector, for single-object watches. */
  name?: string;
}

export function selectorParams(query: URLSearchParams, r: ResourceInfo): SelectorParams {
  const ls = query.get('labelSelector');
  const fs = query.get('fieldSelector');
  return {
    labelSelector: ls ? parseLabelSelector(ls) : undefined,
    fieldSelector: fs ? parseFieldSelector(fs, r.storage.group, r.storage.resource, customFieldOptions(r)) : undefined,
  };
}

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);

/**
 * Parses text as Go's strconv.ParseInt(text, 10, 64) does, which is how kube-apiserver reads every
 * integer query parameter: an optional sign and decimal digits, nothing else (no spaces, no `0x`,
 * no exponent, not empty), within int64. Anything else is kube's 400 with Go's error text.
 */
export function parseGoInt64(text: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(text)) throw ApiError.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = BigInt(text);
  if (value > int64Max || value < int64Min) throw ApiError.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
  return value;
}

/**
 * An int64 query parameter (limit, timeoutSeconds, gracePeriodSeconds), undefined when absent. Values
 * beyond what a JS number holds exactly are clamped to ±(2^53-1): for counts and seconds that is
 * already longer than anything can last.
 */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  const value = parseGoInt64(v);
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(value > max ? max : value < -max ? -max : value);
}

export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw ApiError.badRequest(`${name}: Invalid value: ${JSON.stringify(v)}: must be a boolean`);
}

/** Reports unknown fields per fieldValidation: Strict refuses the request, Warn adds warnings. */
export function reportUnknownFields(unknown: readonly string[], mode: FieldValidation, warnings: string[]): void {
  if (!unknown.length || mode === 'Ignore') return;
  const texts = unknown.map((f) => `unknown field ${JSON.stringify(f)}`);
  if (mode === 'Strict') throw ApiError.badRequest(`strict decoding error: ${texts.join(', ')}`);
  warnings.push(...texts);
}

/** Field selector options of a custom resource: its CRD version's selectableFields. */
export function customFieldOptions(r: ResourceInfo): { customFields?: readonly string[]; clusterScoped?: boolean } {
  return r.custom ? { customFields: r.custom.selectableFields, clusterScoped: !r.namespaced } : {};
}
