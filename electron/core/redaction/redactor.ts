/**
 * Applies redaction rules to "stored JSON" text (attribute maps, events, bodies) without
 * re-serialising it: a scanner walks the text, copies it verbatim, and only rewrites the value
 * of a key that matches a key rule and the matches of value rules inside strings. So ints stay
 * ints and doubles stay doubles (JSON.parse + JSON.stringify would lose that), and text with
 * nothing to redact costs two regular-expression tests.
 */
import type { RedactionRule } from '../../../shared/model/redaction.js';

interface CompiledValueRule {
  name: string;
  regex: RegExp;
  check?: 'luhn' | undefined;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export function luhnValid(digits: string): boolean {
  const d = digits.replace(/\D/g, '');
  if (d.length < 13 || d.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let n = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

export class Redactor {
  private readonly keyRules: { name: string; regex: RegExp }[];
  private readonly valueRules: CompiledValueRule[];
  /** A quick test on raw text: could any value rule match? */
  private readonly anyValue: RegExp | null;
  /** How often each rule fired since the last take(). */
  private counts = new Map<string, number>();

  constructor(readonly rules: RedactionRule[]) {
    this.keyRules = rules.filter((r) => r.kind === 'key').map((r) => ({ name: r.name, regex: globToRegExp(r.pattern) }));
    this.valueRules = rules.filter((r) => r.kind === 'value').map((r) => ({ name: r.name, regex: new RegExp(r.pattern, 'g'), check: r.check }));
    this.anyValue = this.valueRules.length ? new RegExp(this.valueRules.map((r) => `(?:${r.regex.source})`).join('|')) : null;
  }

  private bump(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  /** Counts since the last call, then starts again. */
  take(): Map<string, number> {
    const c = this.counts;
    this.counts = new Map();
    return c;
  }

  /** The replacement for the value of a key a key rule matches (counted). */
  redactForKey(key: string): string {
    const rule = this.keyRuleFor(key);
    if (rule !== null) this.bump(rule);
    return '[REDACTED]';
  }

  keyRuleFor(key: string): string | null {
    for (const r of this.keyRules) if (r.regex.test(key)) return r.name;
    return null;
  }

  /** Value rules over one string's content. */
  redactString(s: string): string {
    if (!this.anyValue || !this.anyValue.test(s)) return s;
    let out = s;
    for (const r of this.valueRules) {
      out = out.replace(r.regex, (m) => {
        if (r.check === 'luhn' && !luhnValid(m)) return m;
        this.bump(r.name);
        return `[REDACTED:${r.name}]`;
      });
    }
    return out;
  }

  /** Redacts stored-JSON text; returns the same string when nothing matched. */
  redactJson(text: string | null): string | null {
    if (text === null || text.length < 3) return text;
    const maybeValue = this.anyValue !== null && this.anyValue.test(text);
    if (!maybeValue && !this.mayHaveKey(text)) return text;
    const out = this.scan(text);
    if (out === text) return text;
    try {
      JSON.parse(out);
      return out;
    } catch {
      // A custom pattern broke the JSON (it matched across quotes or escapes): keep nothing.
      this.bump('unreadable after redaction (value dropped)');
      return text.trimStart().startsWith('{') ? '{}' : '"[REDACTED]"';
    }
  }

  private mayHaveKey(text: string): boolean {
    if (this.keyRules.length === 0) return false;
    // Keys are the strings followed by ':'; test each against the globs.
    const keyToken = /"((?:[^"\\]|\\.)*)"\s*:/g;
    for (let m; (m = keyToken.exec(text)); ) if (this.keyRuleFor(m[1]!) !== null) return true;
    return false;
  }

  private scan(text: string): string {
    let out = '';
    let i = 0;
    const n = text.length;
    while (i < n) {
      const c = text[i]!;
      if (c !== '"') {
        out += c;
        i++;
        continue;
      }
      const end = stringEnd(text, i);
      const token = text.slice(i, end);
      let j = end;
      while (j < n && (text[j] === ' ' || text[j] === '\n' || text[j] === '\t' || text[j] === '\r')) j++;
      if (text[j] === ':') {
        const key = JSON.parse(token) as string;
        const rule = this.keyRuleFor(key);
        out += this.redactToken(token) + text.slice(end, j + 1);
        i = j + 1;
        if (rule !== null) {
          while (i < n && /\s/.test(text[i]!)) i++;
          const valueEnd = valueEndAt(text, i);
          out += '"[REDACTED]"';
          this.bump(rule);
          i = valueEnd;
        }
        continue;
      }
      out += this.redactToken(token);
      i = end;
    }
    return out;
  }

  /** Value rules inside one JSON string token (quotes included); escapes stay as they are. */
  private redactToken(token: string): string {
    const inner = token.slice(1, -1);
    const red = this.redactString(inner);
    return red === inner ? token : `"${red}"`;
  }
}

/** Index just past the JSON string starting at `i` (a quote). */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else j++;
  }
  return text.length;
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
