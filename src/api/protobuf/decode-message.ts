// Turns a Kubernetes protobuf message into the JSON object Go's encoding/json would write for the
// same Go struct: absent non-pointer fields take their zero value, and `omitempty`/`omitzero`
// then drop them exactly as Go does, so the result matches what kubectl sends as JSON.
import { maxNestingDepth } from '../decode-limits.js';
import { scalarZeroValue, specialZeroValue, type FieldFacts, type FieldType, type TypeFacts } from '../facts/index.js';
import { formatGoTime } from './go-time.js';
import { formatGoDuration } from '../../time/index.js';
import { layoutOf, requireType, type MessageLayout } from './message-layout.js';
import { readFields, readPackedVarints, WireError, WireType, type WireField } from './wire.js';

export type JsonObject = Record<string, unknown>;

/** Decodes one message of a struct type (not a special type) into its JSON object. */
export function decodeStruct(type: TypeFacts, bytes: Uint8Array, context: DecodeContext): JsonObject {
  const present = new Map<FieldFacts, unknown>();
  collect(layoutOf(type), bytes, present, type.name, context);
  const out: JsonObject = {};
  for (const field of type.fields) {
    let value: unknown;
    if (present.has(field)) value = present.get(field);
    else if (field.pointer || field.proto === undefined) continue;
    else value = zeroValue(field.type, context);
    if (omitted(field, value)) continue;
    out[field.name] = value;
  }
  return out;
}

/** Decodes embedded objects that arrive in their own `k8s\0` envelope (RawExtension.raw). */
export interface DecodeContext {
  readonly decodeEnvelope: (bytes: Uint8Array) => JsonObject;
}

function collect(layout: MessageLayout, bytes: Uint8Array, present: Map<FieldFacts, unknown>, where: string, context: DecodeContext): void {
  for (const wire of readFields(bytes)) {
    const entry = layout.byNumber.get(wire.number);
    if (!entry) continue; // Unknown fields are skipped, as proto2 readers do.
    if ('embedded' in entry) {
      collect(entry.embedded, lengthDelimited(wire, where), present, where, context);
      continue;
    }
    const field = entry.field;
    const at = `${where}.${field.name}`;
    const type = field.type;
    if (type.kind === 'array' && !type.wrapped) {
      const list = (present.get(field) as unknown[] | undefined) ?? [];
      list.push(...decodeRepeated(type.items, wire, at, context));
      present.set(field, list);
    } else if (type.kind === 'map') {
      const map = (present.get(field) as JsonObject | undefined) ?? {};
      const [key, value] = decodeMapEntry(type.values, lengthDelimited(wire, at), at, context);
      map[key] = value;
      present.set(field, map);
    } else {
      present.set(field, decodeSingle(type, wire, at, context));
    }
  }
}

function decodeRepeated(items: FieldType, wire: WireField, at: string, context: DecodeContext): unknown[] {
  const numeric = items.kind === 'int32' || items.kind === 'int64' || items.kind === 'bool';
  if (numeric && wire.wireType === WireType.LengthDelimited) {
    return readPackedVarints(wire.value as Uint8Array).map((v) => scalarFromVarint(items, v));
  }
  return [decodeSingle(items, wire, at, context)];
}

function decodeMapEntry(values: FieldType, bytes: Uint8Array, at: string, context: DecodeContext): [string, unknown] {
  let key = '';
  let value: unknown;
  let seen = false;
  for (const wire of readFields(bytes)) {
    if (wire.number === 1) key = utf8(lengthDelimited(wire, at));
    else if (wire.number === 2) {
      value = decodeSingle(values, wire, `${at}[${key}]`, context);
      seen = true;
    }
  }
  // A missing value is the zero value; Go decodes a missing []byte value as an empty slice.
  if (!seen) value = values.kind === 'bytes' ? '' : zeroValue(values, context);
  return [key, value];
}

function decodeSingle(type: FieldType, wire: WireField, at: string, context: DecodeContext): unknown {
  switch (type.kind) {
    case 'string':
      return utf8(lengthDelimited(wire, at));
    case 'bytes':
      return Buffer.from(lengthDelimited(wire, at)).toString('base64');
    case 'bool':
    case 'int32':
    case 'int64':
      if (wire.wireType !== WireType.Varint) throw new WireError(`${at}: expected a varint`);
      return scalarFromVarint(type, wire.value as bigint);
    case 'double':
      if (wire.wireType !== WireType.Fixed64) throw new WireError(`${at}: expected a 64-bit float`);
      return new DataView(new BigUint64Array([wire.value as bigint]).buffer).getFloat64(0, true);
    case 'array': {
      // A wrapped list (Verbs, ExtraValue): a message whose field 1 repeats the items.
      const out: unknown[] = [];
      for (const item of readFields(lengthDelimited(wire, at))) {
        if (item.number === 1) out.push(...decodeRepeated(type.items, item, at, context));
      }
      return out;
    }
    case 'map':
      throw new WireError(`${at}: nested maps have no protobuf form`);
    case 'ref':
      return decodeRef(type.type, lengthDelimited(wire, at), at, context);
  }
}

/**
 * How deep the decoder is in messages, and in objects embedded in their own envelope. Recursive
 * types and envelopes nest without end in hostile bodies; Go keeps embedded objects as raw bytes,
 * so a handful of levels of them is plenty here.
 */
const depth = { messages: 0, envelopes: 0 };
const maxEmbeddedEnvelopes = 100;

function nested<T>(at: string, kind: 'messages' | 'envelopes', decode: () => T): T {
  const limit = kind === 'messages' ? maxNestingDepth : maxEmbeddedEnvelopes;
  if (depth[kind] >= limit) {
    throw new WireError(kind === 'messages' ? `${at}: exceeded max depth of ${limit}` : `${at}: embedded objects nest more than ${limit} deep`);
  }
  depth[kind]++;
  try {
    return decode();
  } finally {
    depth[kind]--;
  }
}

function decodeRef(name: string, bytes: Uint8Array, at: string, context: DecodeContext): unknown {
  const type = requireType(name);
  switch (type.special) {
    case undefined:
      return nested(at, 'messages', () => decodeStruct(type, bytes, context));
    case 'quantity': {
      // resource.Quantity's message holds its canonical string in field 1.
      let text = '';
      for (const f of readFields(bytes)) if (f.number === 1) text = utf8(lengthDelimited(f, at));
      return text === '' ? '0' : text;
    }
    case 'time':
    case 'micro-time': {
      if (bytes.length === 0) return null; // The zero time: Go writes JSON null.
      let seconds = 0n;
      let nanos = 0;
      for (const f of readFields(bytes)) {
        if (f.number === 1) seconds = BigInt.asIntN(64, varint(f, at));
        else if (f.number === 2) nanos = Number(BigInt.asIntN(32, varint(f, at)));
      }
      try {
        return formatGoTime(seconds, nanos, type.special === 'micro-time');
      } catch (err) {
        throw new WireError(`${at}: ${(err as Error).message}`);
      }
    }
    case 'duration': {
      let nanos = 0n;
      for (const f of readFields(bytes)) if (f.number === 1) nanos = BigInt.asIntN(64, varint(f, at));
      return formatGoDuration(nanos);
    }
    case 'int-or-string': {
      let kind = 0n;
      let intVal = 0;
      let strVal = '';
      for (const f of readFields(bytes)) {
        if (f.number === 1) kind = varint(f, at);
        else if (f.number === 2) intVal = Number(BigInt.asIntN(32, varint(f, at)));
        else if (f.number === 3) strVal = utf8(lengthDelimited(f, at));
      }
      return kind === 1n ? strVal : intVal;
    }
    case 'raw-extension':
    case 'fields-v1':
    case 'json': {
      let raw: Uint8Array | undefined;
      for (const f of readFields(bytes)) if (f.number === 1) raw = lengthDelimited(f, at);
      if (raw === undefined || raw.length === 0) return null;
      if (type.special === 'raw-extension' && isEnvelope(raw)) {
        const envelope = raw;
        return nested(at, 'envelopes', () => context.decodeEnvelope(envelope));
      }
      try {
        return JSON.parse(utf8(raw)) as unknown;
      } catch {
        throw new WireError(`${at}: embedded value is not valid JSON`);
      }
    }
  }
}

/** The JSON Go writes for a non-pointer field that protobuf left out. */
function zeroValue(type: FieldType, context: DecodeContext): unknown {
  const scalar = scalarZeroValue(type);
  if (scalar !== undefined) return scalar;
  switch (type.kind) {
    case 'bytes':
    case 'array':
    case 'map':
      return null; // nil slices and maps
    case 'ref': {
      const ref = requireType(type.type);
      return ref.special === undefined ? decodeStruct(ref, new Uint8Array(0), context) : specialZeroValue(ref.special);
    }
    default:
      return undefined;
  }
}

function omitted(field: FieldFacts, value: unknown): boolean {
  const isStruct = field.type.kind === 'ref';
  if (field.omitZero && isGoZero(field.type, value)) return true;
  if (!field.omitEmpty) return false;
  if (field.pointer) return value === null || value === undefined;
  // omitempty never drops a struct, whatever it holds.
  if (isStruct) return false;
  if (value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function isGoZero(type: FieldType, value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return true;
  if (type.kind === 'ref') {
    const ref = requireType(type.type);
    if (ref.special === 'quantity') return value === '0';
    if (ref.special === 'duration') return value === '0s';
    if (ref.special === undefined && typeof value === 'object') {
      return ref.fields.every((f) => !(f.name in value) || isGoZero(f.type, (value as JsonObject)[f.name]));
    }
  }
  return false;
}

function scalarFromVarint(type: FieldType, value: bigint): unknown {
  if (type.kind === 'bool') return value !== 0n;
  if (type.kind === 'int32') return Number(BigInt.asIntN(32, value));
  return Number(BigInt.asIntN(64, value));
}

function varint(wire: WireField, at: string): bigint {
  if (wire.wireType !== WireType.Varint) throw new WireError(`${at}: expected a varint`);
  return wire.value as bigint;
}

function lengthDelimited(wire: WireField, at: string): Uint8Array {
  if (wire.wireType !== WireType.LengthDelimited) throw new WireError(`${at}: expected length-delimited bytes`);
  return wire.value as Uint8Array;
}

const decoder = new TextDecoder();
function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export const envelopeMagic = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export function isEnvelope(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && envelopeMagic.every((b, i) => bytes[i] === b);
}
