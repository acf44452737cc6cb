// Gives an object the shape Go's encoding/json would give the typed struct kube-apiserver stores:
// omitempty scalars, lists and maps that are empty are dropped; non-pointer structs are always
// present (`status: {}`); zero times without omitzero are `null`; non-omitempty scalars appear
// with their zero value. Stored objects then read back exactly as kube-apiserver's would.
import { scalarZeroValue, typeFacts, type FieldFacts, type FieldType } from './facts/index.js';
import { isRecord } from '../lang/index.js';

type Obj = Record<string, unknown>;

function isEmptyValue(v: unknown): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/** Normalises obj (in place) as the Go struct `typeName` would marshal. */
export function goJsonShape(obj: Obj, typeName: string): Obj {
  shapeStruct(obj, typeName, 0);
  return obj;
}

/** What shaping needs of one struct type, worked out once from its facts. */
interface StructPlan {
  readonly byName: ReadonlyMap<string, FieldFacts>;
  /** Fields Go writes even when the object lacks them, in field order. */
  readonly fills: readonly FieldFacts[];
}

const plans = new Map<string, StructPlan | null>();

function planFor(typeName: string): StructPlan | null {
  let plan = plans.get(typeName);
  if (plan !== undefined) return plan;
  const facts = typeFacts(typeName);
  plan = !facts || facts.special ? null : { byName: new Map(facts.fields.map((f) => [f.name, f])), fills: facts.fields.filter(writesWhenAbsent) };
  plans.set(typeName, plan);
  return plan;
}

/** Whether zeroFor gives the field a value: the checks that do not depend on the object. */
function writesWhenAbsent(field: FieldFacts): boolean {
  if (field.pointer) return false;
  const t = field.type;
  if (t.kind === 'ref') {
    const facts = typeFacts(t.type);
    if (!facts) return false;
    if (facts.special === 'time' || facts.special === 'micro-time') return !field.omitZero;
    return !facts.special && !field.omitZero && facts.fields.length > 0;
  }
  if (field.omitEmpty || field.omitZero) return false;
  return !(t.kind === 'array' || t.kind === 'map' || t.kind === 'bytes');
}

function shapeStruct(obj: Obj, typeName: string, depth: number): void {
  const plan = planFor(typeName);
  if (!plan || depth > 64) return;
  // The object's own fields (usually far fewer than the type's): drop Go's omitted empties, shape the rest.
  for (const name in obj) {
    const field = plan.byName.get(name);
    const v = obj[name];
    if (!field || v === undefined) continue;
    if (
      field.omitEmpty &&
      !field.pointer &&
      isScalarOrCollection(field.type) &&
      (isEmptyValue(v) || (field.type.kind === 'map' && isRecord(v) && Object.keys(v).length === 0))
    ) {
      delete obj[name];
      continue;
    }
    shapeValue(v, field.type, depth + 1);
  }
  // Then what Go writes for the fields it lacks, appended in field order.
  for (const field of plan.fills) {
    if (Object.prototype.hasOwnProperty.call(obj, field.name) && obj[field.name] !== undefined) continue;
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
