/**
 * Redaction rules: applied by the writer to everything the receivers and importers store
 * (before it reaches disk), and again at export. A key rule replaces the whole value of any
 * attribute whose key matches its glob; a value rule replaces what its regular expression
 * matches inside any string. Reports list the rules and how often each fired, never values.
 */
export interface RedactionRule {
  name: string;
  kind: 'key' | 'value';
  /** key: a glob over attribute keys (`*` any run, `?` one character, case-insensitive); value: a JavaScript regular expression. */
  pattern: string;
  /** value rules: the match must also pass this check (Luhn for card numbers). */
  check?: 'luhn' | undefined;
}

export const DEFAULT_REDACTION_RULES: RedactionRule[] = [
  { name: 'password keys', kind: 'key', pattern: '*passw*' },
  { name: 'secret keys', kind: 'key', pattern: '*secret*' },
  { name: 'api keys', kind: 'key', pattern: '*api?key*' },
  { name: 'authorization headers', kind: 'key', pattern: '*authorization*' },
  { name: 'cookies', kind: 'key', pattern: '*cookie*' },
  { name: 'access tokens', kind: 'key', pattern: '*access?token*' },
  { name: 'e-mail addresses', kind: 'value', pattern: '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}' },
  { name: 'card numbers', kind: 'value', pattern: '\\b(?:\\d[ -]?){12,18}\\d\\b', check: 'luhn' },
  { name: 'bearer tokens', kind: 'value', pattern: '\\b[Bb]earer\\s+[A-Za-z0-9._~+/-]+=*' },
  { name: 'IPv4 addresses', kind: 'value', pattern: '\\b(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\b' },
  { name: 'IPv6 addresses', kind: 'value', pattern: '\\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\\b' },
];
