// Gives an object the shape Go's encoding/json would give the typed struct kube-apiserver stores:
// omitempty scalars, lists and maps that are empty are dropped; non-pointer structs are always
// present (`status: {}`); zero times without omitzero are `null`; non-omitempty scalars appear
// with their zero value. Stored objects then read back exactly as kube-apiserver's would.
import { scalarZeroValue, typeFacts, type FieldFacts, type FieldType } from './facts/index.js';

type Obj = Record<string, unknown>;

function isEmptyValue(v: unknown): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

function isRecord(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Normalises obj (in place) as the Go struct `typeName` would marshal. */
export function goJsonShape(obj: Obj, typeName: string): Obj {
  shapeStruct(obj, typeName, 0);
  return obj;
}

function shapeStruct(obj: Obj, typeName: string, depth: number): void {
  const facts = typeFacts(typeName);
  if (!facts || facts.special || depth > 64) return;
  for (const field of facts.fields) {
    const has = Object.prototype.hasOwnProperty.call(obj, field.name) && obj[field.name] !== undefined;
    if (has) {
      const v = obj[field.name];
      if (
        field.omitEmpty &&
        !field.pointer &&
        isScalarOrCollection(field.type) &&
        (isEmptyValue(v) || (field.type.kind === 'map' && isRecord(v) && Object.keys(v).length === 0))
      ) {
        delete obj[field.name];
        continue;
      }
      shapeValue(v, field.type, depth + 1);
      continue;
    }
    const filled = zeroFor(field, depth);
    if (filled !== undefined) obj[field.name] = filled;
  }
}

function isScalarOrCollection(t: FieldType): boolean {
  return t.kind !== 'ref';
}

function shapeValue(v: unknown, type: FieldType, depth: number): void {
  if (type.kind === 'ref' && isRecord(v)) shapeStruct(v, type.type, depth);
  else if (type.kind === 'array' && Array.isArray(v)) for (const item of v) shapeValue(item, type.items, depth + 1);
  else if (type.kind === 'map' && isRecord(v)) for (const item of Object.values(v)) shapeValue(item, type.values, depth + 1);
}

/** What Go writes for a field the object does not carry, or undefined when it writes nothing. */
function zeroFor(field: FieldFacts, depth: number): unknown {
  if (field.pointer) return undefined;
  const t = field.type;
  if (t.kind === 'ref') {
    const facts = typeFacts(t.type);
    if (!facts) return undefined;
    if (facts.special === 'time' || facts.special === 'micro-time') return field.omitZero ? undefined : null;
    if (facts.special) return undefined;
    if (field.omitZero) return undefined;
    if (facts.fields.length === 0) return undefined;
    const nested: Obj = {};
    shapeStruct(nested, t.type, depth + 1);
    return nested;
  }
  if (field.omitEmpty || field.omitZero) return undefined;
  if (t.kind === 'array' || t.kind === 'map' || t.kind === 'bytes') return undefined;
  return scalarZeroValue(t);
}
