/**
 * One linear pass over stored-JSON text (attribute maps, events, links, bodies) that rewrites
 * string contents and the values of chosen keys and copies everything else verbatim, so ints
 * stay ints and doubles keep their form (JSON.parse + JSON.stringify would lose that). Text
 * between changes is copied in slices; text with no change comes back as the same string.
 *
 * Strings are found by the tokenizer, never by a regular expression: a key-finding regex
 * restarted inside every string holding escaped quotes (`"{\"a\":1,…}"`) and went quadratic.
 */

export interface StoredJsonRewriter {
  /** The content (escaped, without quotes) of any string token, rewritten or the same string. */
  stringContent(inner: string): string;
  /** Whether the whole value of this key is replaced (asked first, so values are measured only when replaced). */
  replacesValueOf(key: string): boolean;
  /** The JSON text that replaces the value of such a key. */
  valueFor(key: string, valueText: string): string;
}

/**
 * `rewriteStrings` false: only keys are looked at (no value rule can match anywhere in the
 * text). `stringHint`: a global regular expression every string worth rewriting holds a match
 * of (the value rules' prefilters, which never match across a quote); strings before its next
 * match are skipped without being cut out and tested one by one.
 */
export function rewriteStoredJson(text: string, w: StoredJsonRewriter, rewriteStrings = true, stringHint: RegExp | null = null): string {
  let out = '';
  let copied = 0;
  let changed = false;
  let i = 0;
  const n = text.length;
  /** Where the hint next matches, at or after the last position asked (Infinity: nowhere). */
  let nextHit = -1;
  const hintAtOrAfter = (pos: number): number => {
    if (stringHint === null || nextHit >= pos) return stringHint === null ? pos : nextHit;
    stringHint.lastIndex = pos;
    const m = stringHint.exec(text);
    nextHit = m ? m.index : Infinity;
    return nextHit;
  };
  while (i < n) {
    const open = text.indexOf('"', i);
    if (open < 0) break;
    const end = stringEnd(text, open);
    if (rewriteStrings && hintAtOrAfter(open + 1) < end - 1) {
      const inner = text.slice(open + 1, end - 1);
      const rewritten = w.stringContent(inner);
      if (rewritten !== inner) {
        out += text.slice(copied, open + 1) + rewritten;
        copied = end - 1; // the closing quote is copied with what follows
        changed = true;
      }
    }
    const colon = skipSpace(text, end);
    if (text[colon] !== ':') {
      i = end;
      continue;
    }
    const valueStart = skipSpace(text, colon + 1);
    const rawKey = text.slice(open + 1, end - 1);
    const key = rawKey.includes('\\') ? (JSON.parse(text.slice(open, end)) as string) : rawKey;
    if (!w.replacesValueOf(key)) {
      i = valueStart; // the value is walked like any other text
      continue;
    }
    const valueEnd = valueEndAt(text, valueStart);
    out += text.slice(copied, valueStart) + w.valueFor(key, text.slice(valueStart, valueEnd));
    copied = valueEnd;
    changed = true;
    i = valueEnd;
  }
  return changed ? out + text.slice(copied) : text;
}

/**
 * Whether the global `hint` matches inside a string token (a key or a string value) of stored-JSON
 * `text`. Matches among numbers and punctuation do not count: value rules look at strings only,
 * and a double's 15–17 digits pass the card-number prefilter, which sent most spans through the
 * string-by-string rewrite for nothing. The hint must never match across a quote (as rewriteStoredJson's).
 */
export function hintInString(text: string, hint: RegExp): boolean {
  let i = 0; // every string token before i has been passed
  hint.lastIndex = 0;
  for (let m = hint.exec(text); m !== null; m = hint.exec(text)) {
    const at = m.index;
    for (;;) {
      const open = text.indexOf('"', i);
      if (open < 0 || open > at) break; // the match lies between string tokens
      const end = stringEnd(text, open);
      if (at < end) return true;
      i = end;
    }
    if (m[0].length === 0) hint.lastIndex++;
  }
  return false;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\t' || text[i] === '\r')) i++;
  return i;
}

/** Index just past the JSON string starting at `i` (a quote). */
export function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    // Escaped when an odd number of backslashes precede it; each run is counted once.
    let k = q - 1;
    while (k > i && text.charCodeAt(k) === 92) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index just past the JSON value starting at `i`. */
function valueEndAt(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    let j = i;
    while (j < text.length) {
      const d = text[j]!;
      if (d === '"') {
        j = stringEnd(text, j);
        continue;
      }
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !',}] \n\t\r'.includes(text[j]!)) j++;
  return j;
}
