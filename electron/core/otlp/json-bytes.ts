/**
 * Builds "stored JSON" text as UTF-8 bytes. Strings are copied straight from the protobuf
 * payload (escaping only '"', '\' and control bytes), so an attribute map costs one
 * Buffer→string conversion instead of several per attribute; this is what lets decoding
 * keep pace with SQLite inserts.
 */
const HEX = '0123456789abcdef';

export class JsonBytes {
  private buf = Buffer.allocUnsafe(64 * 1024);
  len = 0;

  reset(): void {
    this.len = 0;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + extra));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** Writes a string known to be ASCII with nothing to escape (numbers, literals, base64). */
  ascii(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }

  /** Writes bytes [start, end) of `src` (UTF-8) as a JSON string literal. */
  stringFrom(src: Buffer, start: number, end: number): void {
    this.ensure((end - start) * 6 + 2);
    const out = this.buf;
    let n = this.len;
    out[n++] = 34;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c === 34 || c === 92) {
        out[n++] = 92;
        out[n++] = c;
      } else if (c < 0x20) {
        out[n++] = 92;
        out[n++] = 117; // \u00XX
        out[n++] = 48;
        out[n++] = 48;
        out[n++] = HEX.charCodeAt(c >> 4);
        out[n++] = HEX.charCodeAt(c & 15);
      } else out[n++] = c;
    }
    out[n++] = 34;
    this.len = n;
  }

  /** Writes a JS string as a JSON string literal. */
  jsString(s: string): void {
    const encoded = Buffer.from(JSON.stringify(s), 'utf8');
    this.ensure(encoded.length);
    encoded.copy(this.buf, this.len);
    this.len += encoded.length;
  }

  /** The text written since the last reset; resets. */
  take(): string {
    const s = this.buf.toString('utf8', 0, this.len);
    this.len = 0;
    return s;
  }
}
