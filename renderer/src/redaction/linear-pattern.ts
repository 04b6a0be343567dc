/**
 * The core runs every value pattern on RE2 (electron/core/redaction/linear-pattern.ts) and
 * refuses, when rules are saved, one that RE2 cannot compile. The form compiles the pattern the
 * same way, with the same library, so the refusal shows at the field while it is typed.
 */
import { RE2JS } from 're2js';

/** RE2's reason for refusing this value pattern, or null when it compiles. */
export function linearPatternProblem(pattern: string): string | null {
  try {
    RE2JS.compile(RE2JS.translateRegExp(pattern));
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
