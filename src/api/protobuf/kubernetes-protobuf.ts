// The `application/vnd.kubernetes.protobuf` body format: the magic `k8s\0` followed by a
// runtime.Unknown envelope (apiVersion, kind, the object's message). Converts such bodies to and
// from the JSON objects the rest of the API server works with.
import { ApiError } from '../errors.js';
import { typeFacts, typeNameForKind, type TypeFacts } from '../facts/index.js';
import { decodeStruct, envelopeMagic, isEnvelope, type DecodeContext, type JsonObject } from './decode-message.js';
import { EncodeError, encodeStruct, type EncodeContext } from './encode-message.js';
import { ProtoWriter, readFields, WireError, WireType } from './wire.js';

export interface DecodedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly object: Record<string, unknown>;
}

/** Decodes a protobuf request body into the JSON object Go would have produced; malformed input is a 400. */
export function decodeKubernetesProtobuf(bytes: Uint8Array): DecodedObject {
  try {
    return decodeEnvelope(bytes);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof WireError || err instanceof RangeError) {
      throw ApiError.badRequest(`unable to decode protobuf body: ${err.message}`);
    }
    throw ApiError.from(err);
  }
}

/** Encodes a built-in kind's JSON object (apiVersion and kind set) as a protobuf body. */
export function encodeKubernetesProtobuf(object: Readonly<Record<string, unknown>>): Uint8Array {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
    throw ApiError.internal('cannot encode an object without apiVersion and kind as protobuf');
  }
  const type = protobufType(apiVersion, kind);
  if (!type) throw ApiError.notAcceptable(`${kind} in ${apiVersion} has no protobuf form; ask for application/json`);
  let raw: Uint8Array;
  try {
    raw = encodeStruct(type, object, kind, encodeContext);
  } catch (err) {
    if (err instanceof EncodeError) throw ApiError.internal(`cannot encode ${kind} as protobuf: ${err.message}`, err);
    throw ApiError.from(err);
  }
  const typeMeta = new ProtoWriter().string(1, apiVersion).string(2, kind).finish();
  const unknown = new ProtoWriter().bytes(1, typeMeta).bytes(2, raw).string(3, '').string(4, '').finish();
  const out = new Uint8Array(envelopeMagic.length + unknown.length);
  out.set(envelopeMagic, 0);
  out.set(unknown, envelopeMagic.length);
  return out;
}

/**
 * One frame of a protobuf watch stream (`application/vnd.kubernetes.protobuf;stream=watch`): a 4-byte
 * big-endian length, then a bare WatchEvent message (no envelope) whose object is a full envelope.
 */
export function encodeWatchEventFrame(type: string, object: Readonly<Record<string, unknown>>): Uint8Array {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !hasProtobufForm(apiVersion, kind)) {
    throw ApiError.notAcceptable(`${String(kind)} in ${String(apiVersion)} has no protobuf form; watch with application/json`);
  }
  const event = requireWatchEvent();
  let body: Uint8Array;
  try {
    body = encodeStruct(event, { type, object }, 'WatchEvent', encodeContext);
  } catch (err) {
    if (err instanceof EncodeError) throw ApiError.internal(`cannot encode watch event as protobuf: ${err.message}`, err);
    throw ApiError.from(err);
  }
  const frame = new Uint8Array(4 + body.length);
  new DataView(frame.buffer).setUint32(0, body.length, false);
  frame.set(body, 4);
  return frame;
}

/** Splits a protobuf watch stream into its events; a trailing partial frame is returned as `rest`. */
export function decodeWatchEventFrames(bytes: Uint8Array): { events: Array<{ type: string; object: Record<string, unknown> }>; rest: Uint8Array } {
  const events: Array<{ type: string; object: Record<string, unknown> }> = [];
  let pos = 0;
  try {
    while (bytes.length - pos >= 4) {
      const length = new DataView(bytes.buffer, bytes.byteOffset + pos, 4).getUint32(0, false);
      if (bytes.length - pos - 4 < length) break;
      const decoded = decodeStruct(requireWatchEvent(), bytes.subarray(pos + 4, pos + 4 + length), context);
      const object = decoded.object;
      if (typeof decoded.type !== 'string' || typeof object !== 'object' || object === null) {
        throw new WireError('watch event without type or object');
      }
      events.push({ type: decoded.type, object: object as Record<string, unknown> });
      pos += 4 + length;
    }
  } catch (err) {
    if (err instanceof WireError || err instanceof RangeError) throw ApiError.badRequest(`unable to decode protobuf watch event: ${err.message}`);
    throw ApiError.from(err);
  }
  return { events, rest: bytes.subarray(pos) };
}

function requireWatchEvent(): TypeFacts {
  const type = typeFacts('io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent');
  if (!type) throw ApiError.internal('WatchEvent is missing from the API facts');
  return type;
}

/** Whether a kind has a protobuf form (built-in kinds do; custom resources and Tables do not). */
export function hasProtobufForm(apiVersion: string, kind: string): boolean {
  return protobufType(apiVersion, kind) !== undefined;
}

function protobufType(apiVersion: string, kind: string): TypeFacts | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const name = typeNameForKind(group, version, kind);
  const type = name === undefined ? undefined : typeFacts(name);
  // Types without protobuf numbers (Table) are served as JSON only.
  return type && type.fields.some((f) => f.proto !== undefined) ? type : undefined;
}

const encodeContext: EncodeContext = {
  encodeEmbedded: (value) =>
    typeof value.apiVersion === 'string' && typeof value.kind === 'string' && hasProtobufForm(value.apiVersion, value.kind)
      ? encodeKubernetesProtobuf(value)
      : undefined,
};

const context: DecodeContext = { decodeEnvelope: (bytes) => decodeEnvelope(bytes).object };

function decodeEnvelope(bytes: Uint8Array): DecodedObject {
  if (!isEnvelope(bytes)) throw ApiError.badRequest('protobuf body does not start with the Kubernetes magic prefix "k8s\\x00"');
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  for (const field of readFields(bytes.subarray(envelopeMagic.length))) {
    if (field.wireType !== WireType.LengthDelimited) throw new WireError(`envelope field ${field.number} has the wrong wire type`);
    const value = field.value as Uint8Array;
    if (field.number === 1) {
      for (const meta of readFields(value)) {
        if (meta.wireType !== WireType.LengthDelimited) throw new WireError('typeMeta field has the wrong wire type');
        if (meta.number === 1) apiVersion = new TextDecoder().decode(meta.value as Uint8Array);
        else if (meta.number === 2) kind = new TextDecoder().decode(meta.value as Uint8Array);
      }
    } else if (field.number === 2) raw = value;
    else if (field.number === 3) contentEncoding = new TextDecoder().decode(value);
  }
  if (contentEncoding !== '') throw ApiError.badRequest(`unsupported protobuf content encoding ${JSON.stringify(contentEncoding)}`);
  if (!apiVersion || !kind) throw ApiError.badRequest('Object \'Kind\' is missing in protobuf body');
  const type = protobufType(apiVersion, kind);
  if (!type) throw ApiError.badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in protobuf`);
  const decoded: JsonObject = decodeStruct(type, raw, context);
  return { apiVersion, kind, object: { kind, apiVersion, ...decoded } };
}
