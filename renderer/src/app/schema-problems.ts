/**
 * A contract schema's issues as the problems of a form's fields. The forms check a draft with
 * the very schema the core checks the request with (shared/api), so the two never disagree;
 * this keys each issue by the path step that names the field.
 */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The first message for each field under `prefix` (an issue at `[...prefix, 'name', …]` is the
 * `name` field's); issues elsewhere are under `''` when they concern the prefix itself or a
 * parent of it, and left out when they concern a sibling (another rule in the list).
 */
export function problemsUnder(issues: readonly SchemaIssue[], prefix: readonly PropertyKey[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const shared = Math.min(prefix.length, issue.path.length);
    if (!prefix.slice(0, shared).every((step, i) => step === issue.path[i])) continue;
    const field = issue.path.length > prefix.length ? String(issue.path[prefix.length]) : '';
    out[field] ??= issue.message;
  }
  return out;
}
