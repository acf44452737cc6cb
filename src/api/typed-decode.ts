// Decodes a JSON object the way kube-apiserver's typed decoder does: unknown fields are reported
// (strict field validation) and dropped, values of the wrong type or out of range for their Go type
// are refused, null fields become absent and null list items and map values become Go's zero value.
// Shapes come from the API type facts. What passes here encodes to protobuf.
import { echoInput } from './decode-limits.js';
import { ApiError } from './errors.js';
import { goJsonWord } from './go-json-word.js';
import { scalarZeroValue, specialZeroValue, typeFacts, type FieldType, type TypeFacts } from './facts/index.js';
import { integralFloatLiterals, type IntegralFloatLiterals } from './json-number-literals.js';
import { parseGoTime } from './protobuf/index.js';
import { tryParseGoDuration } from '../time/index.js';
import { quantityParseError } from './resource-quantity.js';

export interface DecodeResult {
  /** Paths of fields the type does not have, as `spec.foo` (kube's strict decoding wording). */
  readonly unknownFields: string[];
}

export interface DecodeOptions {
  /**
   * Text put before decoding errors. By default kube's `<Kind> in version "<v>" cannot be handled
   * as a <Kind>: `, which is how kube-apiserver answers a body it cannot decode.
   */
  readonly errorPrefix?: string;
}

// JSON.parse has turned every number into a double, so Go's int types are checked by value, and
// for bodies sent as JSON text also by the literal: 1.0 and 1e3 are refused as Go refuses them.
// Objects without their text (patch and apply results, YAML) take such a number as the integer it
// equals; kube's YAML path does the same.
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
// ±2^63 are exact doubles; every double in [-2^63, 2^63) is an integer that fits Go's int64. Literals
// from 2^63 - 512 up round to 2^63 and are refused, though Go would take those up to 2^63 - 1.
const INT64_LIMIT = 2 ** 63;

interface Walk {
  readonly unknown: string[];
  readonly prefix: string;
  readonly literals: IntegralFloatLiterals | undefined;
}

/** Normalises obj in place against typeName; throws 400 BadRequest for values Go would not decode. */
export function typedDecode(obj: Record<string, unknown>, typeName: string, options: DecodeOptions = {}): DecodeResult {
  const unknownFields: string[] = [];
  const walk: Walk = { unknown: unknownFields, prefix: options.errorPrefix ?? defaultPrefix(typeName), literals: integralFloatLiterals(obj) };
  walkStruct(obj, typeName, '', walk);
  return { unknownFields };
}

function defaultPrefix(typeName: string): string {
  const parts = typeName.split('.');
  const kind = parts.at(-1) ?? typeName;
  return `${kind} in version "${parts.at(-2) ?? ''}" cannot be handled as a ${kind}: `;
}

function walkStruct(obj: Record<string, unknown>, typeName: string, path: string, walk: Walk): void {
  const facts = typeFacts(typeName);
  if (!facts || facts.special) return;
  const byName = fieldsOf(facts);
  const structName = shortName(typeName);
  for (const key of Object.keys(obj)) {
    const field = byName.get(key);
    const childPath = path ? `${path}.${key}` : key;
    if (!field) {
      if (path === '' && (key === 'apiVersion' || key === 'kind')) continue;
      walk.unknown.push(childPath);
      delete obj[key];
      continue;
    }
    const value = obj[key];
    if (value === null) {
      delete obj[key];
      continue;
    }
    obj[key] = walkValue(value, field.type, childPath, walk, structName, walk.literals?.get(obj)?.get(key));
  }
}

const fieldMaps = new WeakMap<TypeFacts, Map<string, TypeFacts['fields'][number]>>();

function fieldsOf(facts: TypeFacts): Map<string, TypeFacts['fields'][number]> {
  let m = fieldMaps.get(facts);
  if (!m) {
    m = new Map(facts.fields.map((f) => [f.name, f]));
    fieldMaps.set(facts, m);
  }
  return m;
}

/** Go's UnmarshalTypeError: the struct holding the field, and the JSON path without list indexes. */
function typeError(walk: Walk, path: string, value: unknown, expected: string, structName: string, literal?: string): ApiError {
  const fieldPath = path.replace(/\[[^\]]*\]/g, '');
  return ApiError.badRequest(
    `${walk.prefix}json: cannot unmarshal ${goValueWord(value, literal)} into Go struct field ${structName}.${fieldPath} of type ${expected}`,
    [{ reason: 'FieldValueInvalid', message: `Invalid value: ${echoInput(JSON.stringify(value) ?? String(value))}: expected ${expected}`, field: path }],
  );
}

/** An error from a type's own UnmarshalJSON (Quantity, IntOrString, Time), which Go passes on unwrapped. */
function valueError(walk: Walk, path: string, message: string): ApiError {
  return ApiError.badRequest(`${walk.prefix}${message}`, [{ reason: 'FieldValueInvalid', message, field: path }]);
}

/** How Go's decoder names a JSON value in its errors; into a typed field a number carries its text. */
function goValueWord(value: unknown, literal?: string): string {
  return typeof value === 'number' ? `number ${literal ?? String(value)}` : goJsonWord(value);
}

function fitsInteger(value: number, kind: 'int32' | 'int64'): boolean {
  if (!Number.isInteger(value)) return false;
  // -2^63 is an int64, but JavaScript writes it as -9223372036854776000, which Go cannot read back.
  return kind === 'int32' ? value >= INT32_MIN && value <= INT32_MAX : value > -INT64_LIMIT && value < INT64_LIMIT;
}

/** `literal`: the JSON text of a number written with a fraction or exponent, when the body kept it. */
function walkValue(value: unknown, type: FieldType, path: string, walk: Walk, structName: string, literal?: string): unknown {
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') throw typeError(walk, path, value, 'string', structName);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw typeError(walk, path, value, 'bool', structName);
      return value;
    case 'int32':
    case 'int64':
      if (typeof value !== 'number' || !fitsInteger(value, type.kind) || literal !== undefined)
        throw typeError(walk, path, value, type.kind, structName, literal);
      return value;
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError(walk, path, value, 'float64', structName);
      return value;
    case 'bytes': {
      if (typeof value !== 'string') throw typeError(walk, path, value, '[]uint8', structName);
      // Go's StdEncoding skips line breaks and wants the padding; kube writes the bytes back without breaks.
      const text = value.replace(/[\r\n]/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
        throw valueError(walk, path, `illegal base64 data at input byte ${base64ErrorOffset(text)}`);
      }
      return text;
    }
    case 'array': {
      if (!Array.isArray(value)) throw typeError(walk, path, value, goTypeName(type), structName);
      const literals = walk.literals?.get(value);
      return value.map((v, i) => (v === null ? zeroValue(type.items) : walkValue(v, type.items, `${path}[${i}]`, walk, structName, literals?.get(String(i)))));
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(walk, path, value, goTypeName(type), structName);
      const m = value as Record<string, unknown>;
      for (const k of Object.keys(m)) {
        m[k] = m[k] === null ? zeroValue(type.values) : walkValue(m[k], type.values, `${path}[${k}]`, walk, structName, walk.literals?.get(m)?.get(k));
      }
      return m;
    }
    case 'ref': {
      const facts = typeFacts(type.type);
      if (facts?.special) return checkSpecial(value, facts.special, path, walk, structName, literal);
      if (facts?.enum && typeof value === 'string') return value;
      if (facts && facts.fields.length === 0) return value;
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(walk, path, value, goTypeName(type), structName);
      walkStruct(value as Record<string, unknown>, type.type, path, walk);
      return value;
    }
  }
}

/**
 * What Go holds for a null list item or map value: the type's zero value, as it would marshal it.
 * Validation then judges it (a null container becomes `{}` and fails with `name: Required value`).
 */
function zeroValue(type: FieldType): unknown {
  switch (type.kind) {
    case 'bytes':
      return '';
    case 'array':
      return [];
    case 'map':
      return {};
    case 'ref': {
      const facts = typeFacts(type.type);
      if (facts?.special) return specialZeroValue(facts.special);
      return facts?.enum ? '' : {};
    }
    default:
      return scalarZeroValue(type);
  }
}

function checkSpecial(value: unknown, special: string, path: string, walk: Walk, structName: string, literal: string | undefined): unknown {
  switch (special) {
    case 'quantity': {
      // Quantity.UnmarshalJSON takes a JSON number by its text and a string trimmed of spaces.
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw valueError(walk, path, quantityParseError('') ?? '');
        value = String(value);
      }
      // Anything else is parsed as quantity text too (`true`, `{}`), which fails the grammar.
      if (typeof value !== 'string') throw valueError(walk, path, quantityParseError(JSON.stringify(value)) ?? '');
      const trimmed = value.trim();
      const problem = quantityParseError(trimmed);
      if (problem) throw valueError(walk, path, problem);
      // Kept as Go would write it back: without the spaces, which a protobuf reader does not trim.
      return trimmed;
    }
    case 'int-or-string':
      // IntOrString.UnmarshalJSON decodes anything but a string into its int32; Go's decoder then
      // names the field holding it in the error, as for any int32 field.
      if (typeof value === 'string') return value;
      if (typeof value !== 'number' || !fitsInteger(value, 'int32') || literal !== undefined) throw typeError(walk, path, value, 'int32', structName, literal);
      return value;
    case 'time':
    case 'micro-time':
      // Time.UnmarshalJSON reads a string and parses it as RFC 3339; protobuf needs the same.
      if (typeof value !== 'string') throw typeError(walk, path, value, 'string', structName);
      if (!parseGoTime(value))
        throw valueError(
          walk,
          path,
          `parsing time ${echoInput(JSON.stringify(value))} as "2006-01-02T15:04:05Z07:00": cannot parse ${echoInput(JSON.stringify(value))} as "2006"`,
        );
      return value;
    case 'duration':
      if (typeof value !== 'string') throw typeError(walk, path, value, 'string', structName);
      if (tryParseGoDuration(value) === undefined) throw valueError(walk, path, `time: invalid duration ${echoInput(JSON.stringify(value))}`);
      return value;
    default:
      return value;
  }
}

/** Where Go's base64 decoder stops: the first character outside the alphabet, else the start of the short last block. */
function base64ErrorOffset(text: string): number {
  const bad = text.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return bad;
  const pad = text.indexOf('=');
  if (pad >= 0 && pad < text.length - 2) return pad;
  return text.length - (text.length % 4);
}

function shortName(typeName: string): string {
  return typeName.split('.').pop() ?? typeName;
}

/** Go's name for a field type as its errors print it: `[]v1.Container`, `map[string]string`, `resource.Quantity`. */
function goTypeName(t: FieldType): string {
  switch (t.kind) {
    case 'ref': {
      const parts = t.type.split('.');
      return `${parts.at(-2) ?? ''}.${parts.at(-1) ?? t.type}`;
    }
    case 'array':
      return `[]${goTypeName(t.items)}`;
    case 'map':
      return `map[string]${goTypeName(t.values)}`;
    case 'bytes':
      return '[]uint8';
    case 'double':
      return 'float64';
    default:
      return t.kind;
  }
}
