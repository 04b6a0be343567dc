/**
 * Cheap necessary conditions for the built-in value rules, so ordinary strings never reach the
 * RE2 engine (which is linear but slower than V8 on short text): an e-mail address needs '@', a
 * JSON web token 'eyJ', and so on. They apply only while a rule keeps its default pattern
 * exactly (looked up by pattern text), since only then is the condition known to be necessary.
 *
 * They run on V8's engine, so each is written without unbounded repetition (no `*`, `+`,
 * `{n,}`): the work at each start position is bounded, and a test is linear in the text.
 */
import { DEFAULT_REDACTION_RULES } from '../../../shared/model/redaction.js';

const DIGIT_RUN_13 = new RegExp('\\d' + '[ -]?\\d'.repeat(12));

const BY_DEFAULT_RULE_NAME: Record<string, RegExp> = {
  'PEM private keys': /PRIVATE KEY-----/,
  'JSON web tokens': /eyJ/,
  'AWS access key IDs': /AKIA|ASIA/,
  'GitHub tokens': /gh[pousr]_|github_pat_/,
  'Slack tokens and webhooks': /xox[abprs]-|hooks\.slack\.com/,
  'bearer tokens': /[Bb]earer/,
  'e-mail addresses': /@/,
  // 13 digits, each but the last optionally followed by one space or dash.
  'card numbers': DIGIT_RUN_13,
  // A digit, then three dots each followed by one to three digits: the end of a dotted quad.
  'IPv4 addresses': /\d\.\d\d?\d?\.\d\d?\d?\.\d/,
  'IPv6 addresses': /[0-9A-Fa-f]:[0-9A-Fa-f]/,
};

const BY_PATTERN = new Map<string, RegExp>();
for (const rule of DEFAULT_REDACTION_RULES) {
  const prefilter = BY_DEFAULT_RULE_NAME[rule.name];
  if (rule.kind === 'value' && prefilter) BY_PATTERN.set(rule.pattern, prefilter);
}

/** The prefilter of a built-in value pattern, or null (user patterns always go to RE2). */
export function prefilterFor(pattern: string): RegExp | null {
  return BY_PATTERN.get(pattern) ?? null;
}

/** Every prefilter, for the test that they stay free of unbounded repetition. */
export function allPrefilters(): RegExp[] {
  return [...BY_PATTERN.values()];
}

/**
 * A necessary condition for some key in a stored-JSON text to match one of these key globs:
 * the text holds the longest literal run of one of them, in any case (`iu`: the Unicode
 * simple case folding RE2's case-insensitive globs use, so a Kelvin sign or long s still counts).
 * A key is written in the text as it reads except for `"`, `\` and control characters, so
 * the run appears whenever the key matches; null when some glob has no usable run (e.g. `*`,
 * or one with characters JSON escapes or outside ASCII), and the caller must look at every key.
 */
export function keyGlobsPrefilter(globs: readonly string[]): RegExp | null {
  const runs: string[] = [];
  for (const glob of globs) {
    const longest = glob.split(/[*?]/).reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest.length === 0 || !/^[\x20-\x7e]+$/.test(longest) || /["\\]/.test(longest)) return null;
    runs.push(longest.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  }
  // Case does not count (the flags say so). A run holding another adds nothing (text with
  // "gen_ai.prompt" holds "gen_ai."), and each alternative costs a scan of every attribute text.
  const unique = [...new Set(runs.map((r) => r.toLowerCase()))];
  const kept = unique.filter((r) => !unique.some((other) => other !== r && r.includes(other)));
  return kept.length === 0 ? null : new RegExp(kept.join('|'), 'iu');
}
