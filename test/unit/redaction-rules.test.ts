/**
 * The default rules against real-looking secrets and their near misses; pseudonyms for IP
 * addresses and user IDs (keyed, stable, and the same at export as at ingest); patterns the
 * linear-time engine cannot run are refused when saved; prefilters stay linear on V8.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { Redactor } from '../../electron/core/redaction/redactor.js';
import { redactOtlp } from '../../electron/core/redaction/redact-otlp.js';
import { allPrefilters } from '../../electron/core/redaction/prefilters.js';
import {
  parseRedactionRules,
  readRedactionRules,
  RedactionRuleError,
  REDACTION_RULES_KEY,
  writeRedactionRules,
} from '../../electron/core/redaction/redaction-settings.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import { DEFAULT_REDACTION_RULES, type RedactionRule } from '../../shared/model/redaction.js';
import { tempDir } from '../helpers/serve-process.js';

const SECRET = Buffer.alloc(32, 9);
const pseudonym = (label: string, value: string): string => `${label}:${crypto.createHmac('sha256', SECRET).update(value).digest('hex').slice(0, 12)}`;
const redactor = (): Redactor => new Redactor(DEFAULT_REDACTION_RULES, () => SECRET);

const SAMPLES: Record<string, { hits: string[]; misses: string[] }> = {
  'AWS access key IDs': {
    hits: ['AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A'],
    misses: ['AKIAIOSFODNN7EXAMPL', 'akiaiosfodnn7example', 'XAKIAIOSFODNN7EXAMPLE', 'AKIDIOSFODNN7EXAMPLE'],
  },
  'GitHub tokens': {
    hits: [
      'ghp_' + 'a1B2c3D4e5'.repeat(3) + 'f6G7h8',
      'gho_' + 'Z'.repeat(36),
      'ghu_' + '0'.repeat(36),
      'ghs_' + 'x9'.repeat(18),
      'ghr_' + 'Q'.repeat(40),
      'github_pat_11ABCDEFG0' + 'abcdefghij'.repeat(7) + '_x',
    ],
    misses: ['ghp_tooShort123', 'ghx_' + 'a'.repeat(36), 'github_pat_short', 'ghp-' + 'a'.repeat(36)],
  },
  'Slack tokens and webhooks': {
    hits: [
      'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'xoxp-123456789012-123456789012-123456789012-0123456789abcdef0123456789abcdef',
      'xoxa-2-123456789012-abcdef',
      'xoxr-1234567890-abcdefghij',
      'xoxs-1234567890-abcdefghij',
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    ],
    misses: ['xoxb-short', 'xoxq-123456789012-abcdefghij', 'https://hooks.slack.com', 'https://slack.com/services/T0/B0/X'],
  },
  'JSON web tokens': {
    hits: [
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.',
    ],
    misses: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0', 'eyJhbGciOiJIUzI1NiJ9.payload.signature', 'heyJude.eyJ.x'],
  },
  'PEM private keys': {
    hits: [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n-----END RSA PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHdjI2y1dKQ+5l6JQz3mFx0c\n-----END PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5NPeEs', // truncated: to the end of the value
    ],
    misses: [
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----',
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      'BEGIN RSA PRIVATE KEY',
    ],
  },
};

test('each new default value rule erases real-looking secrets, in plain strings and stored JSON, and leaves near misses', () => {
  for (const [rule, { hits, misses }] of Object.entries(SAMPLES)) {
    for (const sample of hits) {
      const r = redactor();
      assert.equal(
        r.redactString(`before ${sample} after`),
        `before [REDACTED:${rule}]${sample.startsWith('-----BEGIN EC') ? '' : ' after'}`,
        `${rule}: ${sample}`,
      );
      assert.deepEqual(Object.fromEntries(r.take()), { [rule]: 1 }, `${rule}: ${sample} counted once`);
      const json = JSON.stringify({ 'log.message': `got ${sample}`, n: 1 });
      const out = r.redactJson(json)!;
      assert.deepEqual(JSON.parse(out), { 'log.message': `got [REDACTED:${rule}]`, n: 1 }, `${rule} in stored JSON: ${sample}`);
    }
    for (const sample of misses) {
      const r = redactor();
      assert.equal(r.redactString(`before ${sample} after`), `before ${sample} after`, `${rule} near miss: ${sample}`);
      assert.equal(r.take().size, 0, `${rule} near miss: ${sample}`);
    }
  }
});

test('IP addresses and user IDs are pseudonymised by default: keyed, stable, distinct; other values are not', () => {
  const r = redactor();
  assert.equal(
    r.redactString('from 10.1.2.3 to 10.1.2.4 via 10.1.2.3'),
    `from ${pseudonym('ip', '10.1.2.3')} to ${pseudonym('ip', '10.1.2.4')} via ${pseudonym('ip', '10.1.2.3')}`,
  );
  assert.equal(r.redactString('peer fe80:0:0:0:202:b3ff:fe1e:8329'), `peer ${pseudonym('ip', 'fe80:0:0:0:202:b3ff:fe1e:8329')}`);
  const text = '{"enduser.id":"alice","user.id":42,"app.user_id":"alice","userId":"bob","user.idle_ms":7,"user_agent.original":"curl/8.0"}';
  assert.equal(
    r.redactJson(text),
    `{"enduser.id":"${pseudonym('user', 'alice')}","user.id":"${pseudonym('user', '42')}","app.user_id":"${pseudonym('user', 'alice')}","userId":"${pseudonym('user', 'bob')}","user.idle_ms":7,"user_agent.original":"curl/8.0"}`,
  );
  assert.deepEqual(Object.fromEntries(r.take()), { 'IPv4 addresses': 3, 'IPv6 addresses': 1, 'user IDs': 3, 'user IDs (one word)': 1 });
  assert.notEqual(
    new Redactor(DEFAULT_REDACTION_RULES, () => Buffer.alloc(32, 1)).redactString('10.1.2.3'),
    pseudonym('ip', '10.1.2.3'),
    'another store, another key: other pseudonyms',
  );
});

test('export pseudonymises as ingest did, leaves existing pseudonyms as they are, and redacts trace states', () => {
  const r = redactor();
  const stored = JSON.parse(r.redactJson('{"net.peer.ip":"10.9.8.7","enduser.id":1234}')!) as Record<string, string>;
  const request = {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                traceState: 'vendor=alice@example.com',
                attributes: [
                  { key: 'net.peer.ip', value: { stringValue: '10.9.8.7' } },
                  { key: 'enduser.id', value: { intValue: '1234' } },
                  { key: 'user.id', value: { stringValue: stored['enduser.id']! } },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  const span = redactOtlp(request, r).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
  assert.deepEqual(span.attributes, [
    { key: 'net.peer.ip', value: { stringValue: stored['net.peer.ip'] } },
    { key: 'enduser.id', value: { stringValue: stored['enduser.id'] } },
    { key: 'user.id', value: { stringValue: stored['enduser.id'] } },
  ]);
  assert.equal(span.traceState, 'vendor=[REDACTED:e-mail addresses]');
  assert.equal(span.traceId, '0af7651916cd43dd8448eb211c80319c');
});

test('a value pattern the linear-time engine cannot run is refused when saved, naming the rule; one saved earlier gives the defaults', () => {
  const db = openWriter(path.join(tempDir(), 'rules.db'));
  const custom: RedactionRule[] = [{ name: 'patient ids', kind: 'value', pattern: 'patient-\\d+' }];
  writeRedactionRules(db, custom);
  for (const [name, pattern] of [
    ['doubled words', '\\b(\\w+) \\1\\b'],
    ['tokens before a colon', 'tok(?=:)'],
    ['not after a dollar', '(?<!\\$)\\d+'],
  ] as const) {
    assert.throws(
      () => writeRedactionRules(db, [...custom, { name, kind: 'value', pattern }]),
      (e: Error) => e instanceof RedactionRuleError && e.message.includes(`"${name}"`) && /linear time/.test(e.message),
      pattern,
    );
  }
  assert.deepEqual(readRedactionRules(db), custom, 'the rules in force are unchanged');
  const legacy = JSON.stringify([...custom, { name: 'doubled words', kind: 'value', pattern: '\\b(\\w+) \\1\\b' }]);
  db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(legacy, REDACTION_RULES_KEY);
  assert.deepEqual(readRedactionRules(db), DEFAULT_REDACTION_RULES, 'a backtracking pattern saved before never runs');
  assert.deepEqual(parseRedactionRules(legacy), DEFAULT_REDACTION_RULES);
  db.close();
});

test('prefilters (run on V8) have no unbounded repetition, so each test is linear', () => {
  const unbounded = /(?<!\\)[*+]|\{\d+,\}/;
  assert.ok(allPrefilters().length >= 10);
  for (const p of allPrefilters()) assert.ok(!unbounded.test(p.source), p.source);
});
