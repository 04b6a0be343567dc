/**
 * A minimal protobuf wire-format reader. OTLP decoding walks the bytes with it and builds
 * store rows directly, without an intermediate object graph; that is what lets ingest keep
 * up with raw SQLite insert speed. Every malformed input throws ProtobufError with the
 * byte offset, so a 400 response can say where a payload broke.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32', '6', '7'];

export class ProtobufError extends Error {
  override name = 'ProtobufError';
}

export class ProtobufReader {
  pos: number;
  /** Mutable so hot paths can narrow the reader to a sub-message without allocating. */
  end: number;
  readonly buf: Buffer;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  hasMore(): boolean {
    return this.pos < this.end;
  }

  fail(message: string): never {
    throw new ProtobufError(`${message} at byte ${this.pos}`);
  }

  /** Reads a varint of up to 32 significant bits as an unsigned number (lengths, tags, enums). */
  uint32(): number {
    // One byte (tags, short lengths, enums) is by far the most common: no loop, no float math.
    const pos = this.pos;
    if (pos < this.end) {
      const first = this.buf[pos]!;
      if (first < 0x80) {
        this.pos = pos + 1;
        return first;
      }
    }
    return this.uint32Long();
  }

  private uint32Long(): number {
    const buf = this.buf;
    let result = 0;
    let shift = 0;
    while (shift < 35) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const byte = buf[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result > 0xffffffff ? result % 0x100000000 : result;
      shift += 7;
    }
    // Longer varints (negative int32 enums are sign-extended to 10 bytes): keep the low 32 bits.
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      if (this.buf[this.pos++]! < 0x80) return result % 0x100000000;
    }
    this.fail('varint longer than 10 bytes');
  }

  /** Reads a varint as a signed 64-bit BigInt (int64). */
  int64(): bigint {
    const v = this.uint64();
    return BigInt.asIntN(64, v);
  }

  /** Reads a varint as an unsigned 64-bit BigInt (uint64). */
  uint64(): bigint {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const byte = this.buf[this.pos++]!;
      if (shift < 28) lo += (byte & 0x7f) * 2 ** shift;
      else if (shift === 28) {
        lo += (byte & 0x0f) * 2 ** 28;
        hi += (byte & 0x70) >> 4;
      } else hi += (byte & 0x7f) * 2 ** (shift - 32);
      if (byte < 0x80) return (BigInt(hi % 0x100000000) << 32n) | BigInt(lo);
      shift += 7;
    }
    this.fail('varint longer than 10 bytes');
  }

  /** Reads a varint as a JS number; exact up to 2^53 (counts). */
  uint53(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
    this.fail('varint longer than 10 bytes');
  }

  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) this.fail('truncated fixed32');
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  fixed64(): bigint {
    if (this.pos + 8 > this.end) this.fail('truncated fixed64');
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** fixed64 as a JS number (counts; exact up to 2^53). */
  fixed64Number(): number {
    if (this.pos + 8 > this.end) this.fail('truncated fixed64');
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * 0x100000000 + lo;
  }

  sfixed64(): bigint {
    if (this.pos + 8 > this.end) this.fail('truncated sfixed64');
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail('truncated double');
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns the end offset of the delimited bytes. */
  lengthEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) this.fail(`length ${len} runs past the end of the message`);
    return end;
  }

  bytes(): Buffer {
    const end = this.lengthEnd();
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  string(): string {
    const end = this.lengthEnd();
    const out = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return out;
  }

  /** Reads a field tag; returns field number * 8 + wire type, as on the wire. */
  tag(): number {
    const tag = this.uint32();
    if (tag >>> 3 === 0) this.fail('field number 0');
    return tag;
  }

  /** Throws unless `tag` carries `wireType`; `field` names the field in the message. */
  expect(tag: number, wireType: number, field: string): void {
    if ((tag & 7) !== wireType) {
      this.fail(`${field} has wire type ${WIRE_NAMES[tag & 7]}, expected ${WIRE_NAMES[wireType]}`);
    }
  }

  /** Skips a field whose number we do not read. */
  skip(tag: number): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.uint53();
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) this.fail('truncated fixed64');
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd();
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) this.fail('truncated fixed32');
        this.pos += 4;
        return;
      default:
        this.fail(`unsupported wire type ${WIRE_NAMES[tag & 7]}`);
    }
  }

  /** A reader over the next length-delimited field; advances this reader past it. */
  sub(): ProtobufReader {
    const end = this.lengthEnd();
    const r = new ProtobufReader(this.buf, this.pos, end);
    this.pos = end;
    return r;
  }
}
