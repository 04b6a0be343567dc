/**
 * Applies redaction rules to stored-JSON text and to plain strings, in time linear in the text:
 * every pattern runs on RE2 (linear-pattern.ts), built-in rules are first screened by a literal
 * prefilter, and stored JSON is rewritten in one tokenizing pass (stored-json-scan.ts). Key rules
 * are globs over attribute keys; their verdict per key is cached (keys repeat endlessly).
 * Counts per rule accumulate until `take()`.
 */
import { actionOf, DEFAULT_PSEUDONYM_LABEL, type RedactionAction, type RedactionRule } from '../../../shared/model/redaction.js';
import { compileGlob, type LinearPattern } from './linear-pattern.js';
import { ephemeralSecret, Pseudonymiser } from './pseudonym.js';
import { hintInString, rewriteStoredJson, type StoredJsonRewriter } from './stored-json-scan.js';
import { ValueRule } from './value-rule.js';
import { keyGlobsPrefilter } from './prefilters.js';
import { ownString } from '../util/own-string.js';

export { luhnValid } from './value-rule.js';

interface KeyRule {
  name: string;
  glob: LinearPattern;
  action: RedactionAction;
  label: string;
}

const KEY_CACHE_ENTRIES = 10_000;
const HINT_CACHE_ENTRIES = 64;
/** A JSON escape that stands for a printable character: `\u…` or `\/`. */
const ESCAPED_PRINTABLE = /\\[u/]/;

/**
 * One expression matching where any of `parts` matches. They must carry no flags of their own
 * (a case-insensitive prefilter would silently turn case-sensitive here, and let text through).
 */
function unionOf(parts: RegExp[], flags: '' | 'g'): RegExp {
  const flagged = parts.find((p) => p.flags !== '');
  if (flagged) throw new Error(`redaction prefilter /${flagged.source}/${flagged.flags} must carry no flags`);
  return new RegExp(parts.map((p) => `(?:${p.source})`).join('|') || '(?!)', flags);
}
const KEY_CACHE_MAX_CHARS = 256;
const NO_RULE = -1;

export class Redactor {
  private readonly keyRules: KeyRule[];
  private readonly valueRules: ValueRule[];
  /** The union of the prefilters when every value rule has one: one V8 test rules out most strings. */
  private readonly quick: RegExp | null;
  /** `quick` with the global flag: whether stored JSON holds a match inside a string at all (hintInString), and which strings hold one. */
  private readonly quickGlobal: RegExp | null;
  /** A test that no key of a text can match a key rule (prefilters.ts keyGlobsPrefilter); null: look at every key. */
  private readonly keysQuick: RegExp | null;
  /** Whether a key of the text being rewritten may match a key rule. */
  private keysMayMatch = true;
  private readonly pseudonyms: Pseudonymiser;
  private keyVerdicts = new Map<string, number>();
  /** The value rules that may match somewhere in the stored-JSON text being rewritten. */
  private candidates: ValueRule[] = [];
  private readonly jsonRewriter: StoredJsonRewriter = {
    stringContent: (inner) => {
      let s = inner;
      for (const rule of this.candidates) if (rule.mayMatch(s)) s = this.rewrite(rule, s, true);
      return s;
    },
    replacesValueOf: (key) => this.keysMayMatch && this.keyRuleIndex(key) !== NO_RULE,
    valueFor: (key, valueText) => JSON.stringify(this.redactKeyValue(key, valueText.startsWith('"') ? (JSON.parse(valueText) as string) : valueText)),
  };
  private counts = new Map<string, number>();
  /** stringHint() by the positions of the candidate rules (a handful of combinations occur). */
  private readonly hints = new Map<string, RegExp>();

  /** `pseudonymSecret` is the store's (pseudonym-key.ts); without one, pseudonyms hold for this process only. */
  constructor(
    readonly rules: RedactionRule[],
    pseudonymSecret: () => Buffer = ephemeralSecret,
  ) {
    this.keyRules = rules
      .filter((r) => r.kind === 'key')
      .map((r) => ({ name: r.name, glob: compileGlob(r.pattern), action: actionOf(r), label: r.label ?? DEFAULT_PSEUDONYM_LABEL }));
    this.valueRules = rules.filter((r) => r.kind === 'value').map((r) => new ValueRule(r));
    const prefilters = this.valueRules.map((r) => r.prefilter);
    this.quick = prefilters.every((p) => p !== null) ? unionOf(prefilters as RegExp[], '') : null;
    this.quickGlobal = this.quick === null ? null : unionOf(prefilters as RegExp[], 'g');
    this.keysQuick = keyGlobsPrefilter(rules.filter((r) => r.kind === 'key').map((r) => r.pattern));
    this.pseudonyms = new Pseudonymiser(pseudonymSecret);
  }

  private bump(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  /** Counts since the last call, then starts again. */
  take(): Map<string, number> {
    const c = this.counts;
    this.counts = new Map();
    return c;
  }

  /** The name of the first key rule matching `key`, or null. */
  keyRuleFor(key: string): string | null {
    const i = this.keyRuleIndex(key);
    return i === NO_RULE ? null : this.keyRules[i]!.name;
  }

  /**
   * What the value of such a key becomes (counted): `[REDACTED]`, or the pseudonym of `value`
   * (a string as it reads, anything else as its JSON text). A value that already is a pseudonym
   * of the rule's label is kept, so redacting again at export changes nothing.
   */
  redactKeyValue(key: string, value: string): string {
    const i = this.keyRuleIndex(key);
    if (i === NO_RULE) return value;
    const rule = this.keyRules[i]!;
    if (rule.action === 'pseudonymise' && Pseudonymiser.isPseudonym(rule.label, value)) return value;
    this.bump(rule.name);
    return rule.action === 'pseudonymise' ? this.pseudonyms.of(rule.label, value) : '[REDACTED]';
  }

  /** Value rules over one string. */
  redactString(s: string): string {
    if (s.length === 0 || (this.quick !== null && !this.quick.test(s))) return s;
    let out = s;
    for (const rule of this.valueRules) if (rule.mayMatch(out)) out = this.rewrite(rule, out);
    return out;
  }

  /** Redacts stored-JSON text; returns the same string when nothing matched. Valid JSON stays valid. */
  redactJson(text: string | null): string | null {
    if (text === null || text.length < 3) return text;
    // With every rule prefiltered, one test of their union decides whether strings are looked at,
    // and the union (global) then picks the strings to test; ten scans of the text, one per
    // rule, cost more than the pass itself.
    if (this.quickGlobal !== null) this.candidates = hintInString(text, this.quickGlobal) ? this.valueRules : [];
    else this.candidates = this.valueRules.filter((r) => r.mayMatchIn(text));
    // Text with escapes (\u0041, \/) may spell a key's characters differently: every key is looked at then.
    this.keysMayMatch = this.keyRules.length > 0 && (this.keysQuick === null || ESCAPED_PRINTABLE.test(text) || this.keysQuick.test(text));
    if (this.candidates.length === 0 && !this.keysMayMatch) return text;
    const out = rewriteStoredJson(text, this.jsonRewriter, this.candidates.length > 0, this.stringHint());
    if (out === text) return text;
    try {
      JSON.parse(out);
      return out;
    } catch {
      // A custom pattern split an escape sequence: keep nothing rather than unreadable text.
      this.bump('unreadable after redaction (value dropped)');
      return text.trimStart().startsWith('{') ? '{}' : '"[REDACTED]"';
    }
  }

  /** The union of the candidates' prefilters as a global expression (null when one has none): which strings the rewrite must test. */
  private stringHint(): RegExp | null {
    if (this.quickGlobal !== null && this.candidates === this.valueRules) return this.quickGlobal;
    if (!this.candidates.every((r) => r.prefilter !== null)) return null;
    // Keyed by the rules' positions: names need not be unique, patterns under one name may differ.
    const key = this.candidates.map((r) => this.valueRules.indexOf(r)).join(',');
    let hint = this.hints.get(key);
    if (hint === undefined) {
      hint = unionOf(
        this.candidates.map((r) => r.prefilter!),
        'g',
      );
      if (this.hints.size >= HINT_CACHE_ENTRIES) this.hints.clear();
      this.hints.set(key, hint);
    }
    return hint;
  }

  /** `inJson`: `s` is the escaped content of a JSON string, so the marker is escaped too. */
  private rewrite(rule: ValueRule, s: string, inJson = false): string {
    return rule.rewrite(s, (match) => {
      this.bump(rule.name);
      if (rule.action === 'pseudonymise') return this.pseudonyms.of(rule.label, inJson ? unescapeJson(match) : match);
      return inJson ? rule.markerInJson : rule.marker;
    });
  }

  private keyRuleIndex(key: string): number {
    let i = this.keyVerdicts.get(key);
    if (i === undefined) {
      i = this.keyRules.findIndex((r) => r.glob.testExact(key));
      if (key.length > KEY_CACHE_MAX_CHARS) return i;
      if (this.keyVerdicts.size >= KEY_CACHE_ENTRIES) this.keyVerdicts = new Map();
      this.keyVerdicts.set(ownString(key), i); // a key may be a slice of a batch's joined text
    }
    return i;
  }
}

/** The text a JSON string's escaped content stands for (as is when the match cut an escape), so a value's pseudonym is the same in JSON and in plain fields. */
function unescapeJson(escaped: string): string {
  if (!escaped.includes('\\')) return escaped;
  try {
    return JSON.parse(`"${escaped}"`) as string;
  } catch {
    return escaped;
  }
}
