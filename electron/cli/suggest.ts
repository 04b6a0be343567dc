/**
 * "Did you mean …?" for a mistyped command, option or dataset name: the closest candidate by
 * Damerau–Levenshtein distance (adjacent swaps count once, so `tarces` is one edit from
 * `traces`), offered only when it is close for its length; otherwise a unique candidate that
 * starts or ends with what was typed (`--data` → `--dataset`, `--grpc-port` → `--otlp-grpc-port`).
 */

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: optimal string alignment. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row[j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The candidate the user most likely meant by `typed`, or undefined when none is close. */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const bare = (s: string): string => s.replace(/^-+/, '').toLowerCase();
  const t = bare(typed);
  if (t === '') return undefined;
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const c = bare(name);
    const d = editDistance(t, c);
    if (d <= Math.min(3, Math.max(1, Math.floor(c.length / 3))) && (!best || d < best.d)) best = { name, d };
  }
  if (best) return best.name;
  const partial = t.length >= 3 ? candidates.filter((name) => bare(name).startsWith(t) || bare(name).endsWith(t)) : [];
  return partial.length === 1 ? partial[0] : undefined;
}

/** `Did you mean '--limit'?`, or '' when nothing is close. */
export function didYouMean(typed: string, candidates: readonly string[]): string {
  const match = closest(typed, candidates);
  return match === undefined ? '' : ` Did you mean '${match}'?`;
}
