// Decodes a JSON object the way kube-apiserver's typed decoder does: unknown fields are reported
// (strict field validation) and dropped, values of the wrong type are refused, and nulls become
// absent fields. Shapes come from the API type facts.
import { echoInput } from './decode-limits.js';
import { ApiError } from './errors.js';
import { typeFacts, type FieldType } from './facts/index.js';

export interface DecodeResult {
  /** Paths of fields the type does not have, as `spec.foo` (kube's strict decoding wording). */
  readonly unknownFields: string[];
}

/** Normalises obj in place against typeName; throws 400 BadRequest for wrong value types. */
export function typedDecode(obj: Record<string, unknown>, typeName: string): DecodeResult {
  const unknownFields: string[] = [];
  walkStruct(obj, typeName, '', unknownFields, typeName.split('.').pop() ?? typeName);
  return { unknownFields };
}

function walkStruct(obj: Record<string, unknown>, typeName: string, path: string, unknown: string[], goType: string): void {
  const facts = typeFacts(typeName);
  if (!facts || facts.special) return;
  const byName = new Map(facts.fields.map((f) => [f.name, f]));
  for (const key of Object.keys(obj)) {
    const field = byName.get(key);
    const childPath = path ? `${path}.${key}` : key;
    if (!field) {
      if (path === '' && (key === 'apiVersion' || key === 'kind')) continue;
      unknown.push(childPath);
      delete obj[key];
      continue;
    }
    const value = obj[key];
    if (value === null) {
      delete obj[key];
      continue;
    }
    obj[key] = walkValue(value, field.type, childPath, unknown, goType, key);
  }
}

function typeError(path: string, value: unknown, expected: string, goType: string, _field: string): ApiError {
  const got = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
  return ApiError.badRequest(`json: cannot unmarshal ${got} into Go struct field ${goType}.${path} of type ${expected}`, [
    { reason: 'FieldValueInvalid', message: `Invalid value: ${echoInput(JSON.stringify(value))}: expected ${expected}`, field: path },
  ]);
}

function walkValue(value: unknown, type: FieldType, path: string, unknown: string[], goType: string, field: string): unknown {
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') throw typeError(path, value, 'string', goType, field);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw typeError(path, value, 'bool', goType, field);
      return value;
    case 'int32':
    case 'int64':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(path, value, type.kind, goType, field);
      if (type.kind === 'int32' && (value > 2147483647 || value < -2147483648)) throw typeError(path, value, 'int32', goType, field);
      return value;
    case 'double':
      if (typeof value !== 'number') throw typeError(path, value, 'float64', goType, field);
      return value;
    case 'bytes':
      if (typeof value !== 'string') throw typeError(path, value, '[]uint8', goType, field);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value.replace(/\s/g, ''))) {
        throw ApiError.badRequest(`illegal base64 data at input byte 0 in ${path}`, [
          { reason: 'FieldValueInvalid', message: 'illegal base64 data', field: path },
        ]);
      }
      return value;
    case 'array': {
      if (!Array.isArray(value)) throw typeError(path, value, `[]${describe(type.items)}`, goType, field);
      return value.map((v, i) => (v === null ? null : walkValue(v, type.items, `${path}[${i}]`, unknown, goType, field)));
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(path, value, `map[string]${describe(type.values)}`, goType, field);
      const m = value as Record<string, unknown>;
      for (const k of Object.keys(m)) {
        if (m[k] === null) continue;
        m[k] = walkValue(m[k], type.values, `${path}[${k}]`, unknown, goType, field);
      }
      return m;
    }
    case 'ref': {
      const facts = typeFacts(type.type);
      if (facts?.special) return checkSpecial(value, facts.special, path, goType, field);
      if (facts?.enum && typeof value === 'string') return value;
      if (facts && facts.fields.length === 0) return value;
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(path, value, `${type.type.split('.').pop() ?? type.type}`, goType, field);
      walkStruct(value as Record<string, unknown>, type.type, path, unknown, goType);
      return value;
    }
  }
}

function checkSpecial(value: unknown, special: string, path: string, goType: string, field: string): unknown {
  switch (special) {
    case 'quantity':
      if (typeof value === 'number') return String(value);
      if (typeof value !== 'string') throw typeError(path, value, 'resource.Quantity', goType, field);
      return value;
    case 'int-or-string':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value)))
        throw typeError(path, value, 'intstr.IntOrString', goType, field);
      return value;
    case 'time':
    case 'micro-time':
      if (typeof value !== 'string') throw typeError(path, value, 'v1.Time', goType, field);
      if (Number.isNaN(Date.parse(value))) {
        throw ApiError.badRequest(`parsing time ${echoInput(JSON.stringify(value))} as "2006-01-02T15:04:05Z07:00": cannot parse`, [
          { reason: 'FieldValueInvalid', message: 'Invalid time', field: path },
        ]);
      }
      return value;
    case 'duration':
      if (typeof value !== 'string') throw typeError(path, value, 'v1.Duration', goType, field);
      return value;
    default:
      return value;
  }
}

function describe(t: FieldType): string {
  switch (t.kind) {
    case 'ref':
      return t.type.split('.').pop() ?? t.type;
    case 'array':
      return `[]${describe(t.items)}`;
    case 'map':
      return `map[string]${describe(t.values)}`;
    case 'bool':
      return 'bool';
    case 'bytes':
      return '[]uint8';
    case 'double':
      return 'float64';
    default:
      return t.kind;
  }
}
