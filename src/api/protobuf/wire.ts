// Protobuf wire format: reading and writing tags, varints, fixed-width numbers and
// length-delimited bytes. Knows nothing about Kubernetes types; malformed input throws WireError.

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  Fixed32: 5,
} as const;
export type WireType = 0 | 1 | 2 | 3 | 4 | 5;

export class WireError extends Error {
  override readonly name = 'WireError';
}

export interface WireField {
  readonly number: number;
  readonly wireType: WireType;
  /** Varint and fixed values as unsigned 64-bit integers; length-delimited values as bytes. */
  readonly value: bigint | Uint8Array;
}

const maxFieldNumber = 2 ** 29 - 1;

/** Splits a message into its fields, in wire order. */
export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= bytes.length) throw new WireError('truncated varint');
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new WireError('varint longer than 10 bytes');
  };
  const take = (n: number): Uint8Array => {
    if (n > bytes.length - pos) throw new WireError('field length runs past the end of the message');
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  while (pos < bytes.length) {
    const key = varint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n) as WireType;
    if (number < 1 || number > maxFieldNumber) throw new WireError(`invalid field number ${number}`);
    switch (wireType) {
      case WireType.Varint:
        fields.push({ number, wireType, value: varint() });
        break;
      case WireType.Fixed64:
        fields.push({ number, wireType, value: new DataView(take(8).slice().buffer).getBigUint64(0, true) });
        break;
      case WireType.LengthDelimited: {
        const length = varint();
        if (length > BigInt(bytes.length - pos)) throw new WireError('field length runs past the end of the message');
        fields.push({ number, wireType, value: take(Number(length)) });
        break;
      }
      case WireType.Fixed32:
        fields.push({ number, wireType, value: BigInt(new DataView(take(4).slice().buffer).getUint32(0, true)) });
        break;
      default:
        throw new WireError(`unsupported wire type ${wireType} for field ${number}`);
    }
  }
  return fields;
}

/** Reads a packed run of varints (repeated scalars may arrive packed even though Kubernetes writes them unpacked). */
export function readPackedVarints(bytes: Uint8Array): bigint[] {
  const out: bigint[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let result = 0n;
    let done = false;
    for (let shift = 0n; shift < 70n && pos < bytes.length; shift += 7n) {
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        done = true;
        break;
      }
    }
    if (!done) throw new WireError('truncated packed varint');
    out.push(BigInt.asUintN(64, result));
  }
  return out;
}

/** Appends fields in the order written; callers write them in ascending field number as Go does. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  varint(number: number, value: bigint | number): this {
    this.key(number, WireType.Varint);
    this.rawVarint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  fixed64Double(number: number, value: number): this {
    this.key(number, WireType.Fixed64);
    const buf = new Uint8Array(8);
    new DataView(buf.buffer).setFloat64(0, value, true);
    this.push(buf);
    return this;
  }

  bytes(number: number, value: Uint8Array): this {
    this.key(number, WireType.LengthDelimited);
    this.rawVarint(BigInt(value.length));
    this.push(value);
    return this;
  }

  string(number: number, value: string): this {
    return this.bytes(number, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let pos = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, pos);
      pos += chunk.length;
    }
    return out;
  }

  private key(number: number, wireType: WireType): void {
    this.rawVarint(BigInt((number << 3) | wireType));
  }

  private rawVarint(value: bigint): void {
    const out: number[] = [];
    let v = value;
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
}
