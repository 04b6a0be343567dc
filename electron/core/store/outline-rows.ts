/**
 * A trace's outline columns as SQLite gave them (by span ID, not yet in keyset order), with
 * names, services, status messages and event names interned into a string table: typed arrays
 * and a few strings, which is what a reader thread hands over cheaply (structured clone copies
 * typed arrays as memory; 200,000 small strings it would copy one by one). Parts read by
 * several threads over consecutive span-ID ranges are joined with `concatRows`.
 */
/** A trace outline's span columns, beside its IDs: times, kinds, status, texts and events. */
export interface OutlineSpanColumns {
  /** Start in whole µs after the trace's start, and the nanoseconds past it: the exact start. */
  startUs: Float64Array;
  startRemNs: Int16Array;
  durationUs: Float64Array;
  kind: Int32Array;
  statusCode: Int32Array;
  strings: string[];
  /** Indexes into `strings`. */
  name: Uint32Array;
  service: Uint32Array;
  statusMessage: Uint32Array;
  /** Events of span i are eventStart[i] … eventStart[i + 1] - 1. */
  eventStart: Uint32Array;
  eventTimeMs: Float64Array;
  eventName: Uint32Array;
}

export interface OutlineRows extends OutlineSpanColumns {
  count: number;
  /** 16 lowercase hex characters a span, concatenated; parents all zeros (NO_PARENT) when absent. */
  spanIds: string;
  parentSpanIds: string;
}

/** A string table that hands out each distinct string's index once. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  intern(s: string): number {
    let k = this.index.get(s);
    if (k === undefined) this.index.set(s, (k = this.strings.push(s) - 1));
    return k;
  }
}

type TypedColumn = Float64Array | Int16Array | Int32Array | Uint32Array;

/** The columns one after another, in a new array of their kind. */
function concatTyped<T extends TypedColumn>(columns: T[]): T {
  const out = new (columns[0]!.constructor as new (length: number) => T)(columns.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of columns) {
    out.set(c as never, at);
    at += c.length;
  }
  return out;
}

/** The rows of `parts` one after another, in one string table. */
export function concatRows(parts: OutlineRows[]): OutlineRows {
  if (parts.length === 1) return parts[0]!;
  const table = new StringTable();
  const remapped = parts.map((p) => {
    const to = p.strings.map((s) => table.intern(s));
    const map = (column: Uint32Array): Uint32Array => column.map((k) => to[k]!);
    return { name: map(p.name), service: map(p.service), statusMessage: map(p.statusMessage), eventName: map(p.eventName) };
  });
  const count = parts.reduce((n, p) => n + p.count, 0);
  const eventStart = new Uint32Array(count + 1);
  let at = 0;
  let events = 0;
  for (const p of parts) {
    for (let i = 0; i < p.count; i++) eventStart[at + i] = events + p.eventStart[i]!;
    at += p.count;
    events += p.eventStart[p.count]!;
  }
  eventStart[count] = events;
  return {
    count,
    spanIds: parts.map((p) => p.spanIds).join(''),
    parentSpanIds: parts.map((p) => p.parentSpanIds).join(''),
    startUs: concatTyped(parts.map((p) => p.startUs)),
    startRemNs: concatTyped(parts.map((p) => p.startRemNs)),
    durationUs: concatTyped(parts.map((p) => p.durationUs)),
    kind: concatTyped(parts.map((p) => p.kind)),
    statusCode: concatTyped(parts.map((p) => p.statusCode)),
    strings: table.strings,
    name: concatTyped(remapped.map((r) => r.name)),
    service: concatTyped(remapped.map((r) => r.service)),
    statusMessage: concatTyped(remapped.map((r) => r.statusMessage)),
    eventStart,
    eventTimeMs: concatTyped(parts.map((p) => p.eventTimeMs)),
    eventName: concatTyped(remapped.map((r) => r.eventName)),
  };
}
