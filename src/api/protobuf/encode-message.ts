// Turns an API object's JSON into its Kubernetes protobuf message, writing fields as Go's generated
// marshallers do: ascending field numbers, non-pointer scalars and structs always, pointers only
// when set, unpacked repeated fields and map entries sorted by key.
import type { FieldFacts, FieldType, TypeFacts } from '../facts/index.js';
import { parseGoTime } from './go-time.js';
import { tryParseGoDuration } from '../../time/index.js';
import { isRecord } from '../../lang/index.js';
import { layoutOf, requireType, type MessageLayout } from './message-layout.js';
import { ProtoWriter } from './wire.js';

/** Thrown when the JSON does not fit its type; the caller turns it into an API error. */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

/**
 * Encodes objects held in a RawExtension that have their own protobuf form (a watch event's object),
 * as kube-apiserver nests them: a complete `k8s\0` envelope. Undefined means "write JSON".
 */
export interface EncodeContext {
  readonly encodeEmbedded: (value: Readonly<Record<string, unknown>>) => Uint8Array | undefined;
}

export function encodeStruct(type: TypeFacts, value: Readonly<Record<string, unknown>>, at: string, context: EncodeContext): Uint8Array {
  const writer = new ProtoWriter();
  writeLayout(writer, layoutOf(type), value, at, context);
  return writer.finish();
}

function writeLayout(writer: ProtoWriter, layout: MessageLayout, value: Readonly<Record<string, unknown>>, at: string, context: EncodeContext): void {
  for (const entry of layout.entries) {
    if ('embedded' in entry) {
      const inner = new ProtoWriter();
      writeLayout(inner, entry.embedded, value, at, context);
      writer.bytes(entry.number, inner.finish());
    } else {
      writeField(writer, entry.field, value[entry.field.name], `${at}.${entry.field.name}`, context);
    }
  }
}

function writeField(writer: ProtoWriter, field: FieldFacts, value: unknown, at: string, context: EncodeContext): void {
  const number = field.proto!;
  const type = field.type;
  const absent = value === undefined || value === null;
  if (type.kind === 'array' && !type.wrapped) {
    if (absent) return;
    if (!Array.isArray(value)) throw new EncodeError(`${at}: expected a list`);
    value.forEach((item, i) => writeValue(writer, number, type.items, item, `${at}[${i}]`, context));
    return;
  }
  if (type.kind === 'map') {
    if (absent) return;
    const map = asObject(value, at);
    for (const key of Object.keys(map).sort()) {
      const entry = new ProtoWriter().string(1, key);
      const item = map[key];
      // Go leaves out a nil []byte value but writes every other value, zero or not.
      if (!(type.values.kind === 'bytes' && (item === null || item === undefined))) {
        writeValue(entry, 2, type.values, item, `${at}[${key}]`, context);
      }
      writer.bytes(number, entry.finish());
    }
    return;
  }
  if (absent && (field.pointer || type.kind === 'bytes')) return;
  // Raw JSON holders with no value are left out, as Go does for a nil Raw.
  if (absent && type.kind === 'ref' && ['raw-extension', 'fields-v1', 'json'].includes(requireType(type.type).special ?? '')) return;
  writeValue(writer, number, type, value, at, context);
}

function writeValue(writer: ProtoWriter, number: number, type: FieldType, value: unknown, at: string, context: EncodeContext): void {
  const absent = value === undefined || value === null;
  switch (type.kind) {
    case 'string':
      if (absent) writer.string(number, '');
      else if (typeof value === 'string') writer.string(number, value);
      else throw new EncodeError(`${at}: expected a string`);
      return;
    case 'bool':
      if (!absent && typeof value !== 'boolean') throw new EncodeError(`${at}: expected a boolean`);
      writer.varint(number, value === true ? 1 : 0);
      return;
    case 'int32':
    case 'int64':
      writer.varint(number, absent ? 0n : integer(value, type.kind, at));
      return;
    case 'double':
      if (absent) writer.fixed64Double(number, 0);
      else if (typeof value === 'number') writer.fixed64Double(number, value);
      else throw new EncodeError(`${at}: expected a number`);
      return;
    case 'bytes':
      writer.bytes(number, absent ? new Uint8Array(0) : base64(value, at));
      return;
    case 'array': {
      // Wrapped list: a message repeating the items as field 1.
      const inner = new ProtoWriter();
      if (!absent) {
        if (!Array.isArray(value)) throw new EncodeError(`${at}: expected a list`);
        value.forEach((item, i) => writeValue(inner, 1, type.items, item, `${at}[${i}]`, context));
      }
      writer.bytes(number, inner.finish());
      return;
    }
    case 'map':
      throw new EncodeError(`${at}: nested maps have no protobuf form`);
    case 'ref':
      writer.bytes(number, encodeRef(requireType(type.type), value, at, context));
      return;
  }
}

function encodeRef(type: TypeFacts, value: unknown, at: string, context: EncodeContext): Uint8Array {
  const absent = value === undefined || value === null;
  switch (type.special) {
    case undefined:
      return encodeStruct(type, absent ? {} : asObject(value, at), at, context);
    case 'quantity': {
      if (!absent && typeof value !== 'string' && typeof value !== 'number') throw new EncodeError(`${at}: expected a quantity`);
      return new ProtoWriter().string(1, absent ? '0' : String(value)).finish();
    }
    case 'time':
    case 'micro-time': {
      if (absent) return new Uint8Array(0); // zero time: an empty message
      if (typeof value !== 'string') throw new EncodeError(`${at}: expected an RFC 3339 time`);
      const parsed = parseGoTime(value);
      if (!parsed) throw new EncodeError(`${at}: ${JSON.stringify(value)} is not an RFC 3339 time`);
      const nanos = type.special === 'micro-time' ? parsed.nanos - (parsed.nanos % 1000) : 0;
      return new ProtoWriter().varint(1, parsed.seconds).varint(2, nanos).finish();
    }
    case 'duration': {
      const nanos = absent ? 0n : typeof value === 'string' ? tryParseGoDuration(value) : undefined;
      if (nanos === undefined) throw new EncodeError(`${at}: ${JSON.stringify(value)} is not a duration`);
      return new ProtoWriter().varint(1, nanos).finish();
    }
    case 'int-or-string': {
      const writer = new ProtoWriter();
      if (typeof value === 'string') return writer.varint(1, 1).varint(2, 0).string(3, value).finish();
      return writer
        .varint(1, 0)
        .varint(2, absent ? 0n : integer(value, 'int32', at))
        .string(3, '')
        .finish();
    }
    case 'raw-extension':
    case 'fields-v1':
    case 'json': {
      const writer = new ProtoWriter();
      const embedded = type.special === 'raw-extension' && isRecord(value) ? context.encodeEmbedded(value) : undefined;
      if (embedded) writer.bytes(1, embedded);
      else if (value !== undefined) writer.bytes(1, new TextEncoder().encode(JSON.stringify(value)));
      return writer.finish();
    }
    default:
      throw new EncodeError(`${at}: no protobuf form for ${String(type.special)}`);
  }
}

function integer(value: unknown, kind: 'int32' | 'int64', at: string): bigint {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new EncodeError(`${at}: expected an integer`);
  const n = BigInt(value);
  if (BigInt.asIntN(kind === 'int32' ? 32 : 64, n) !== n) throw new EncodeError(`${at}: ${value} does not fit in ${kind}`);
  return n;
}

function base64(value: unknown, at: string): Uint8Array {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new EncodeError(`${at}: expected base64 data`);
  }
  return Buffer.from(value, 'base64');
}

function asObject(value: unknown, at: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EncodeError(`${at}: expected an object`);
  return value as Readonly<Record<string, unknown>>;
}
