/**
 * Every redaction pattern and key glob is compiled with re2js, a port of RE2: matching takes
 * time linear in the text whatever the pattern. V8's own engine backtracks; the plain e-mail
 * pattern took time quadratic in a value's length with it (18 s for a 200 KB attribute, minutes
 * for 31 MiB, the writer stalled for all of it). RE2 has no backreferences or lookaround, so a
 * pattern that needs them is refused when the rules are saved (`linearPatternProblem`).
 */
import { RE2JS } from 're2js';

export type LinearPattern = RE2JS;

/** Compiles a value pattern (JavaScript syntax is accepted where RE2 has the same meaning); throws when RE2 cannot. */
export function compileValuePattern(pattern: string): LinearPattern {
  return RE2JS.compile(RE2JS.translateRegExp(pattern));
}

/** Why the linear-time engine cannot run this value pattern, or null when it can. */
export function linearPatternProblem(pattern: string): string | null {
  try {
    compileValuePattern(pattern);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A key glob (`*` any run, `?` one character), case-insensitive, matched against the whole key. */
export function compileGlob(glob: string): LinearPattern {
  let body = '';
  for (const c of glob) {
    if (c === '*') body += '.*';
    else if (c === '?') body += '.';
    else body += /[\\^$.|+()[\]{}]/.test(c) ? '\\' + c : c;
  }
  return RE2JS.compile(body, RE2JS.CASE_INSENSITIVE | RE2JS.DOTALL);
}

/**
 * True when the pattern may be anchored (`^`, `$`, `\A`, `\z`): a match inside one string then
 * says nothing about a match in the whole text holding it, so the whole-text pre-test is skipped.
 */
export function mayBeAnchored(pattern: string): boolean {
  return /[\^$]|\\[Az]/.test(pattern);
}
