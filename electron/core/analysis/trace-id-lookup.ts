/** A trace's ID (lowercase hex) by its sequence, for exemplars; null when the trace is gone. */
import type { Db } from '../store/db.js';

export function traceIdLookup(db: Db): (traceSeq: number) => string | null {
  const stmt = db.prepare('SELECT lower(hex(trace_id)) FROM traces WHERE trace_seq = ?').pluck();
  return (seq) => (stmt.get(seq) as string | undefined) ?? null;
}
