/** Bytes that are not a valid protobuf encoding of the expected OTLP message: refused with 400. */
export class ProtoError extends Error {
  override name = 'ProtoError';
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const TWO_32 = 4294967296;
// Below 2^21 in the high word a 64-bit value is exact as a double (< 2^53).
const EXACT_HIGH = 0x200000;

/**
 * A bounds-checked protobuf wire-format reader over one request body. Every read checks against
 * `limit` (the end of the message being read), so a length that points past its parent, a
 * truncated body or an over-long varint throws ProtoError instead of reading garbage or allocating
 * by a declared size: nothing is allocated that the bytes do not hold.
 */
export class WireReader {
  pos = 0;
  limit: number;
  /** Low / high 32 bits (unsigned) of the last 64-bit value read. */
  lo = 0;
  hi = 0;

  constructor(readonly buf: Buffer) {
    this.limit = buf.length;
  }

  more(): boolean {
    return this.pos < this.limit;
  }

  /** A field tag; field number 0 is invalid. */
  tag(): number {
    const tag = this.uint32();
    if (tag >>> 3 === 0) throw new ProtoError(`invalid field number 0 at byte ${this.pos}`);
    return tag;
  }

  /** A varint of up to 10 bytes, truncated to its low 32 bits (protobuf's uint32/enum reading). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= this.limit) throw new ProtoError('truncated varint');
      const byte = buf[pos++] as number;
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  /** A varint as 64 bits in `lo` / `hi`. */
  varint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= this.limit) throw new ProtoError('truncated varint');
      const byte = buf[pos++] as number;
      const bits = byte & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (shift - 32);
      if (byte < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  fixed32(): number {
    if (this.limit - this.pos < 4) throw new ProtoError('truncated fixed32');
    const value = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  fixed64(): void {
    if (this.limit - this.pos < 8) throw new ProtoError('truncated fixed64');
    this.lo = this.buf.readUInt32LE(this.pos);
    this.hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
  }

  double(): number {
    if (this.limit - this.pos < 8) throw new ProtoError('truncated double');
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** The length prefix of a length-delimited field; must fit in what is left of the message. */
  length(): number {
    const start = this.pos;
    const length = this.uint32();
    if (this.pos - start > 5 || length > this.limit - this.pos) throw new ProtoError(`length ${length} at byte ${start} runs past the message`);
    return length;
  }

  /** Starts reading an embedded message; returns the outer limit for `leave`. */
  enter(): number {
    const length = this.length();
    const outer = this.limit;
    this.limit = this.pos + length;
    return outer;
  }

  leave(outer: number): void {
    if (this.pos !== this.limit) throw new ProtoError('embedded message overran its length');
    this.limit = outer;
  }

  string(): string {
    const length = this.length();
    const start = this.pos;
    this.pos += length;
    return this.buf.toString('utf8', start, this.pos);
  }

  base64(): string {
    const length = this.length();
    const start = this.pos;
    this.pos += length;
    return this.buf.toString('base64', start, this.pos);
  }

  /**
   * An id of `bytes` bytes as lower-case hex; `undefined` when empty, `null` when it has another
   * length or is all zero (as normalizeId).
   */
  id(bytes: number): string | undefined | null {
    const length = this.length();
    const start = this.pos;
    this.pos += length;
    if (length === 0) return undefined;
    if (length !== bytes) return null;
    let any = 0;
    for (let i = start; i < this.pos; i++) any |= this.buf[i] as number;
    return any === 0 ? null : this.buf.toString('hex', start, this.pos);
  }

  /** Skips a length-delimited field without looking inside. */
  skipBytes(): void {
    const length = this.length();
    this.pos += length;
  }

  /** Skips an unknown field (groups included, iteratively). */
  skip(tag: number): void {
    let depth = 0;
    for (;;) {
      switch (tag & 7) {
        case WIRE_VARINT:
          this.uint32();
          break;
        case WIRE_FIXED64:
          if (this.limit - this.pos < 8) throw new ProtoError('truncated fixed64');
          this.pos += 8;
          break;
        case WIRE_LEN:
          this.skipBytes();
          break;
        case WIRE_FIXED32:
          if (this.limit - this.pos < 4) throw new ProtoError('truncated fixed32');
          this.pos += 4;
          break;
        case WIRE_START_GROUP:
          depth++;
          break;
        case WIRE_END_GROUP:
          if (depth === 0) throw new ProtoError('unexpected end-group');
          depth--;
          break;
        default:
          throw new ProtoError(`invalid wire type ${tag & 7}`);
      }
      if (depth === 0) return;
      tag = this.tag();
    }
  }
}

/** Throws unless a known field arrived with the wire type its declaration needs. */
export function expectWire(tag: number, wireType: number): void {
  if ((tag & 7) !== wireType) throw new ProtoError(`field ${tag >>> 3} has wire type ${tag & 7}, expected ${wireType}`);
}

/** The last fixed64/varint64 read, unsigned, as a decimal string (timestamps). */
export function unsignedDecimal(reader: WireReader): string {
  const { lo, hi } = reader;
  if (hi < EXACT_HIGH) return String(hi * TWO_32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** The last varint64 read, as a signed 64-bit decimal string (int64 values). */
export function signedDecimal(reader: WireReader): string {
  const { lo, hi } = reader;
  if (hi < EXACT_HIGH) return String(hi * TWO_32 + lo);
  if (hi >= TWO_32 - EXACT_HIGH) return String((hi - TWO_32) * TWO_32 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}
