/**
 * Redaction rules: applied where data is decoded (the receivers' decode worker, the import
 * thread), before it reaches disk, and again at export. A key rule acts on the whole value of
 * any attribute whose key matches its glob; a value rule acts on what its pattern matches inside
 * any stored string. A rule either erases (`replace`) or puts a keyed hash stable per store in
 * place (`pseudonymise`: equal values stay equal, distinct ones distinct, so a network diagnosis
 * still tells peers apart). Reports list the rules, their actions and how often each fired,
 * never values.
 */
export type RedactionAction = 'replace' | 'pseudonymise';

export interface RedactionRule {
  name: string;
  kind: 'key' | 'value';
  /**
   * key: a glob over attribute keys (`*` any run, `?` one character, case-insensitive);
   * value: a regular expression in RE2 syntax (JavaScript's without backreferences or
   * lookaround), matched in time linear in the text.
   */
  pattern: string;
  /** value rules: the match must also pass this check (Luhn for card numbers). */
  check?: 'luhn' | undefined;
  /** What a match becomes (default `replace`): `[REDACTED:<name>]`, `[REDACTED]` for key rules, or `<label>:<12 hex>`. */
  action?: RedactionAction | undefined;
  /** pseudonymise: the text before the hash (default `anon`), e.g. `ip` → `ip:3fa2b1c09d4e`. */
  label?: string | undefined;
}

export const DEFAULT_PSEUDONYM_LABEL = 'anon';

/**
 * Why a value pattern is refused when the linear-time engine (RE2) cannot compile it, in one
 * wording for the core's answer and the Settings form. `engineMessage` is RE2's own reason.
 */
export function linearPatternMessage(ruleName: string, engineMessage: string): string {
  return `redaction rule "${ruleName}": its pattern cannot run in linear time (RE2 syntax: no backreferences, lookahead or lookbehind), and a backtracking pattern could stall ingest on one long value; ${engineMessage}`;
}

export function actionOf(rule: Pick<RedactionRule, 'action'>): RedactionAction {
  return rule.action ?? 'replace';
}

const IPV4 = '\\b(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\b';
const IPV6 = '\\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\\b';

/** Attributes that carry prompt, completion, message, retrieved or embedded text: [rule name, key glob]. */
const GENAI_CONTENT_KEYS: [string, string][] = [
  ['LLM prompts', 'gen_ai.prompt*'],
  // Completions by what they hold, so the finish reason (OpenLLMetry's
  // gen_ai.completion.0.finish_reason) stays for the quality signals.
  ['LLM completions', 'gen_ai.completion'],
  ['LLM completion text', 'gen_ai.completion.*content*'],
  ['LLM completion tool calls', 'gen_ai.completion.*tool_call*'],
  ['LLM completion function calls', 'gen_ai.completion.*function_call*'],
  ['LLM completion refusals', 'gen_ai.completion.*refusal*'],
  ['LLM completion reasoning', 'gen_ai.completion.*reasoning*'],
  ['LLM messages', 'gen_ai.*message*'],
  ['LLM system instructions', 'gen_ai.system_instructions'],
  ['LLM tool call arguments', 'gen_ai.tool.call.arguments'],
  ['LLM tool call results', 'gen_ai.tool.call.result'],
  // Log events of the older GenAI conventions hold the text in their body (redact-batch.ts).
  ['LLM choices', 'gen_ai.choice'],
  ['OpenInference messages', 'llm.*put_messages*'],
  ['OpenInference prompts', 'llm.prompts*'],
  ['OpenInference input values', 'input.value'],
  ['OpenInference output values', 'output.value'],
  ['retrieved document text', 'retrieval.documents.*.document.content'],
  ['retrieved documents (as one list)', 'retrieval.documents'],
  // Message events on spans (gen_ai.user.message, gen_ai.choice) keep their text here.
  ['LLM event content', 'gen_ai.event.content'],
  // A judge's explanation quotes the answer and its context.
  ['LLM evaluation explanations', 'gen_ai.evaluation.explanation'],
  ['embedded text', 'embedding.embeddings.*.embedding.text'],
];

/**
 * Secret shapes come before the generic rules: a card-number or e-mail match inside a token
 * would cut it and leave the rest for nobody to catch.
 */
export const DEFAULT_REDACTION_RULES: RedactionRule[] = [
  { name: 'password keys', kind: 'key', pattern: '*passw*' },
  { name: 'secret keys', kind: 'key', pattern: '*secret*' },
  { name: 'api keys', kind: 'key', pattern: '*api?key*' },
  { name: 'authorization headers', kind: 'key', pattern: '*authorization*' },
  { name: 'cookies', kind: 'key', pattern: '*cookie*' },
  { name: 'access tokens', kind: 'key', pattern: '*access?token*' },
  { name: 'user IDs', kind: 'key', pattern: '*user?id', action: 'pseudonymise', label: 'user' },
  { name: 'user IDs (one word)', kind: 'key', pattern: '*userid', action: 'pseudonymise', label: 'user' },
  // What people wrote to a model and what it answered stays private unless the user deletes
  // these rules (Settings › Redaction): the OpenTelemetry GenAI attributes, current and older,
  // and OpenInference's. Token counts, models, finish reasons and IDs are kept.
  ...GENAI_CONTENT_KEYS.map(([name, pattern]): RedactionRule => ({ name, kind: 'key', pattern })),
  {
    name: 'PEM private keys',
    kind: 'value',
    // Through the END line, or to the end of the string when a truncated value lost it.
    pattern: '-----BEGIN[A-Z0-9 ]* PRIVATE KEY-----(?:[\\s\\S]*?-----END[A-Z0-9 ]* PRIVATE KEY-----|[\\s\\S]*)',
  },
  { name: 'JSON web tokens', kind: 'value', pattern: '\\beyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*' },
  { name: 'AWS access key IDs', kind: 'value', pattern: '\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b' },
  { name: 'GitHub tokens', kind: 'value', pattern: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\\b' },
  { name: 'Slack tokens and webhooks', kind: 'value', pattern: '\\bxox[abprs]-[A-Za-z0-9-]{10,}|https?://hooks\\.slack\\.com/[A-Za-z0-9/_+-]+' },
  { name: 'bearer tokens', kind: 'value', pattern: '\\b[Bb]earer\\s+[A-Za-z0-9._~+/-]+=*' },
  { name: 'e-mail addresses', kind: 'value', pattern: '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}' },
  { name: 'card numbers', kind: 'value', pattern: '\\b(?:\\d[ -]?){12,18}\\d\\b', check: 'luhn' },
  { name: 'IPv4 addresses', kind: 'value', pattern: IPV4, action: 'pseudonymise', label: 'ip' },
  { name: 'IPv6 addresses', kind: 'value', pattern: IPV6, action: 'pseudonymise', label: 'ip' },
];
