// Field-level validation errors, shaped and worded as k8s.io/apimachinery/pkg/util/validation/field.
// Validators return lists of these; errors.ts turns a list into one Invalid Status.
import { echoInput } from './decode-limits.js';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  readonly type: FieldErrorType;
  /** Dotted path with indexes and keys, as `spec.containers[0].image` or `metadata.labels[app]`. */
  readonly field: string;
  readonly badValue?: unknown;
  readonly detail?: string;
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** The part after the field path, as field.Error.ErrorBody() words it. */
export function fieldErrorBody(e: FieldError): string {
  let s = typeText[e.type];
  const omitValue =
    e.type === 'FieldValueRequired' ||
    e.type === 'FieldValueForbidden' ||
    e.type === 'FieldValueTooLong' ||
    e.type === 'InternalError' ||
    e.badValue === undefined;
  if (!omitValue) s += `: ${formatBadValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** `field: body`, the line kubectl prints for each cause. */
export function fieldErrorMessage(e: FieldError): string {
  return e.field ? `${e.field}: ${fieldErrorBody(e)}` : fieldErrorBody(e);
}

/**
 * Bad values print as Go's `%#v` does for the common shapes: strings quoted, string lists and maps
 * typed. Only the first few hundred characters are quoted, whatever the size of the value.
 */
function formatBadValue(v: unknown): string {
  return echoInput(goSyntax(v));
}

function goSyntax(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v) && v.length > 0) {
    if (v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
    if (v.every((x) => typeof x === 'number' && Number.isInteger(x))) return `[]int{${v.join(', ')}}`;
  } else if (typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length > 0 && entries.every(([, x]) => typeof x === 'string'))
      return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** Builds a child path the way field.Path does: `a.b`, `a[0]`, `a[key]`. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static root(name = ''): FieldPath {
    return new FieldPath(name);
  }
  child(name: string): FieldPath {
    return new FieldPath(this.text ? `${this.text}.${name}` : name);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
  required(detail?: string): FieldError {
    return { type: 'FieldValueRequired', field: this.text, ...(detail ? { detail } : {}) };
  }
  invalid(badValue: unknown, detail?: string): FieldError {
    return { type: 'FieldValueInvalid', field: this.text, badValue, ...(detail ? { detail } : {}) };
  }
  notSupported(badValue: unknown, supported: readonly string[]): FieldError {
    const detail = supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined;
    return { type: 'FieldValueNotSupported', field: this.text, badValue, ...(detail ? { detail } : {}) };
  }
  forbidden(detail: string): FieldError {
    return { type: 'FieldValueForbidden', field: this.text, detail };
  }
  duplicate(badValue: unknown): FieldError {
    return { type: 'FieldValueDuplicate', field: this.text, badValue };
  }
  notFound(badValue: unknown): FieldError {
    return { type: 'FieldValueNotFound', field: this.text, badValue };
  }
  tooLong(badValue: unknown, max: number): FieldError {
    return { type: 'FieldValueTooLong', field: this.text, badValue, detail: `may not be more than ${max} bytes` };
  }
  tooMany(actual: number, max: number): FieldError {
    return { type: 'FieldValueTooMany', field: this.text, badValue: actual, detail: `must have at most ${max} items` };
  }
}
