/**
 * One value rule, compiled: its prefilter (built-in rules only), its RE2 pattern, and the
 * rewrite of every match in a string. All matching is RE2's: a test runs its DFA, a rewrite
 * walks the matches left to right, each search resuming where the last match ended, so the
 * work stays linear in the string however many matches it holds.
 */
import { actionOf, DEFAULT_PSEUDONYM_LABEL, type RedactionAction, type RedactionRule } from '../../../shared/model/redaction.js';
import { compileValuePattern, mayBeAnchored, type LinearPattern } from './linear-pattern.js';
import { prefilterFor } from './prefilters.js';

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

export class ValueRule {
  readonly name: string;
  readonly action: RedactionAction;
  readonly label: string;
  /** What an erased match becomes, as text and as the content of a JSON string. */
  readonly marker: string;
  readonly markerInJson: string;
  /** A V8 regular expression without unbounded repetition that every match implies, or null. */
  readonly prefilter: RegExp | null;
  private readonly pattern: LinearPattern;
  private readonly check: 'luhn' | undefined;
  /** A match inside one string implies a match in any text holding it (not so with anchors). */
  private readonly testableInWholeText: boolean;

  constructor(rule: RedactionRule) {
    this.name = rule.name;
    this.action = actionOf(rule);
    this.label = rule.label ?? DEFAULT_PSEUDONYM_LABEL;
    this.marker = `[REDACTED:${rule.name}]`;
    this.markerInJson = JSON.stringify(this.marker).slice(1, -1);
    this.prefilter = prefilterFor(rule.pattern);
    this.pattern = compileValuePattern(rule.pattern);
    this.check = rule.check;
    this.testableInWholeText = !mayBeAnchored(rule.pattern);
  }

  /** Could this rule match inside some string of `text` (a stored-JSON text or one string)? */
  mayMatchIn(text: string): boolean {
    // A built-in rule's prefilter is the whole test: RE2 (JavaScript, not native) over the whole
    // text cost more than the string-by-string pass it could save (numbers with long digit runs
    // pass the card prefilter in nearly every span, and the pass tests each string anyway).
    if (this.prefilter !== null) return this.prefilter.test(text);
    return !this.testableInWholeText || this.pattern.test(text);
  }

  /** Could it match in this one string? */
  mayMatch(s: string): boolean {
    if (this.prefilter !== null && !this.prefilter.test(s)) return false;
    return this.pattern.test(s);
  }

  /**
   * Every non-empty match that passes the rule's check becomes `replacement(match)`; returns
   * `s` itself when nothing was replaced.
   */
  rewrite(s: string, replacement: (match: string) => string): string {
    const m = this.pattern.matcher(s);
    let out = '';
    let copied = 0;
    while (m.find()) {
      const start = m.start();
      const end = m.end();
      if (end === start) continue;
      const match = s.slice(start, end);
      if (this.check === 'luhn' && !luhnValid(match)) continue;
      out += s.slice(copied, start) + replacement(match);
      copied = end;
    }
    return copied === 0 ? s : out + s.slice(copied);
  }
}
