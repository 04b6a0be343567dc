/**
 * Text as better-sqlite3 gives it back after storing it. A JavaScript string may hold a lone
 * surrogate (OTLP/JSON can carry one in "\ud800"); SQLite keeps its three WTF-8 bytes, and
 * reading them back yields three U+FFFD. Code that makes from in-memory values what must equal
 * a read of the row passes its text through asReadBack (prediction blocks) or reads such rows
 * back (span content lines).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasLoneSurrogate(text: string): boolean {
  return HAS_LONE_SURROGATE.test(text);
}

export function asReadBack(text: string): string {
  return HAS_LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD\uFFFD\uFFFD') : text;
}
