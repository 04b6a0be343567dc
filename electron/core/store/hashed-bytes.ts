/**
 * Text fed to a hash through one reusable byte buffer. Joining a chunk's lines into one string
 * before `hash.update` made V8 flatten every line (a tree of ~20 concatenated pieces, the
 * attribute JSON the largest) and then encode the joined copy to UTF-8 again: about 4 µs per
 * span on the writer thread, the busiest thread of ingest. Here each piece is encoded straight
 * into the buffer (the same UTF-8, lone surrogates as U+FFFD, that `hash.update(string)` makes)
 * and IDs are written as upper-case hex from a table, so nothing is copied twice.
 */
import type crypto from 'node:crypto';

const CAPACITY_BYTES = 256 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;
const HEX_UPPER = Buffer.from('0123456789ABCDEF', 'latin1');

export class HashedBytes {
  private readonly buf = Buffer.allocUnsafe(CAPACITY_BYTES);
  private length = 0;

  constructor(private readonly hash: crypto.Hash) {}

  /** Appends the UTF-8 of `text`. */
  text(text: string): void {
    const room = CAPACITY_BYTES - this.length;
    if (text.length * MAX_BYTES_PER_UNIT > room) {
      this.flush();
      if (text.length * MAX_BYTES_PER_UNIT > CAPACITY_BYTES) {
        this.hash.update(text); // bigger than the buffer: hashed as it is, the same bytes
        return;
      }
    }
    this.length += this.buf.write(text, this.length);
  }

  /** Appends `bytes` as upper-case hex (what SQLite's hex() prints). */
  hex(bytes: Uint8Array): void {
    if (bytes.length * 2 > CAPACITY_BYTES - this.length) {
      this.flush();
      if (bytes.length * 2 > CAPACITY_BYTES) {
        this.hash.update(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase());
        return;
      }
    }
    const out = this.buf;
    let o = this.length;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      out[o++] = HEX_UPPER[b >> 4]!;
      out[o++] = HEX_UPPER[b & 15]!;
    }
    this.length = o;
  }

  /** Appends one ASCII character by its code. */
  ascii(code: number): void {
    if (this.length === CAPACITY_BYTES) this.flush();
    this.buf[this.length++] = code;
  }

  /** Hands what is buffered to the hash. */
  flush(): void {
    if (this.length === 0) return;
    this.hash.update(this.buf.subarray(0, this.length));
    this.length = 0;
  }
}
