// Small helpers over decoded JSON values shared by the three patch mechanisms: own-key access,
// prototype-safe assignment, and Go-style formatting so error messages read
// like the ones kube-apiserver produces with `fmt.Sprintf("%v", ...)`.
import { isRecord } from '../../lang/index.js';

export type JsonObject = Record<string, unknown>;

/** Own-property lookup, so keys such as `__proto__` or `constructor` behave like any other key. */
export function hasKey(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

export function getKey(object: JsonObject, key: string): unknown {
  return hasKey(object, key) ? object[key] : undefined;
}

/** Assignment that creates an own property even for `__proto__` (JSON.parse does the same). */
export function setKey(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/** The category Go's decoder assigns a JSON value; two values merge only when these agree. */
export type JsonKind = 'map' | 'slice' | 'string' | 'bool' | 'number' | 'null';

export function jsonKind(value: unknown): JsonKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'slice';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  return 'number';
}

/** How Go's `reflect.TypeOf(v)` prints a decoded JSON value, for "expected X, but received Y". */
export function goTypeName(value: unknown): string {
  switch (jsonKind(value)) {
    case 'null':
      return '<nil>';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64';
  }
}

/** Go's `%v` of a decoded JSON value: `map[a:1 b:[x y]]`, keys sorted, nil as `<nil>`. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${goValue(value[k])}`).join(' ')}]`;
  }
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'string') return value;
  return typeof value === 'boolean' ? String(value) : '<unknown>';
}

/** Go's `%s` verb: strings as they are, anything else in the `%!s(type=value)` form. */
export function goString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '%!s(<nil>)';
  return `%!s(${goTypeName(value)}=${goValue(value)})`;
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // float64 with %v uses %g: exponent form from 1e21 up and for small magnitudes.
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}
