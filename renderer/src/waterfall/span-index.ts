/**
 * Span ID → position in a trace's span list, filled a page at a time as spans arrive (sliced
 * work), so the tree is laid out without first making a map of every span by ID in one task.
 * A repeated ID names its last span, as a Map filled in list order would.
 *
 * It is a Map: an open-addressing table of positions in an Int32Array, hashing the IDs in JS,
 * was slower at 200,000 spans (V8 hashes a string natively and keeps the hash in the string).
 */
import type { SpanView } from '../../../shared/model/telemetry.js';

export class SpanIndex {
  private readonly byId = new Map<string, number>();
  /** Spans whose ID an earlier span already had. */
  repeats = 0;

  constructor(private readonly spans: readonly SpanView[]) {}

  /** Registers spans[i] (appended to the list given to the constructor). */
  add(i: number): void {
    const size = this.byId.size;
    this.byId.set(this.spans[i]!.spanId, i);
    if (this.byId.size === size) this.repeats++;
  }

  /** The position of the (last) span with this ID, or -1. */
  get(id: string): number {
    return this.byId.get(id) ?? -1;
  }
}
