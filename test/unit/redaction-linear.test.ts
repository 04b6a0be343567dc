/**
 * Redaction takes time linear in a value's length. With V8's backtracking engine the default
 * e-mail pattern (and the union quick test, and the key scan over escaped quotes) took time
 * quadratic in it: 18 s for a 200 KB value, minutes for a few MiB. Each case runs on a worker
 * thread so that node:test's `timeout` can fire while a backtracking match holds that thread;
 * a quadratic engine fails these by timeout, a linear one finishes in a few seconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactOffThread, type RedactionJob } from '../helpers/redaction-worker.js';

const MiB = 1 << 20;
const TIMEOUT_MS = 30_000;

function run(unit: string, chars: number): string {
  return unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
}

interface Case {
  what: string;
  value: string;
  /** What the value becomes (a check when pseudonyms, whose key is random here, are in it). */
  expected: string | ((out: string) => boolean);
  counts: Record<string, number>;
}

function adversarial(chars: number): Case[] {
  const same = (what: string, value: string): Case => ({ what, value, expected: value, counts: {} });
  const mixed = run('ab@cd.com 10.0.0.1 ', chars - (chars % 19));
  const pairs = mixed.length / 19;
  return [
    same('a run of [A-Za-z0-9.] without @', run('aZ9.', chars)),
    same('a run of [A-Za-z0-9.] with @ and a domain without a dot', run('aZ9.', chars / 2) + '@' + run('b', chars / 2)),
    same('@ after every few characters, never a domain', run('a.b@', chars)),
    same('a run of digits', run('7', chars)),
    same('a run of dotted numbers too big for IPv4 octets', run('999.', chars)),
    { what: "'Bearer ' followed by junk", value: 'Bearer ' + run('x.', chars), expected: '[REDACTED:bearer tokens]', counts: { 'bearer tokens': 1 } },
    {
      what: 'e-mail and IP addresses back to back (each search resumes after the last match)',
      value: mixed,
      expected: (out) =>
        /^(\[REDACTED:e-mail addresses\] ip:[0-9a-f]{12} ){3}/.test(out) && out.length === pairs * '[REDACTED:e-mail addresses] ip:0123456789ab '.length,
      counts: { 'e-mail addresses': pairs, 'IPv4 addresses': pairs },
    },
  ];
}

function matches(c: Case, out: string | null | undefined): boolean {
  if (typeof out !== 'string') return false;
  return typeof c.expected === 'string' ? out === c.expected : c.expected(out);
}

/** Each case as a plain string and inside stored JSON, all on one worker thread. */
async function assertRedacted(cases: Case[], signal: AbortSignal): Promise<void> {
  const jobs = cases.flatMap((c): RedactionJob[] => [
    { kind: 'string', text: c.value },
    { kind: 'json', text: JSON.stringify({ 'http.request.body': c.value, count: 5 }) },
  ]);
  const results = await redactOffThread(jobs, signal);
  cases.forEach((c, i) => {
    const s = results[2 * i]!;
    assert.ok(matches(c, s.out), `${c.what} (plain string): unexpected result`);
    assert.deepEqual(s.counts, c.counts, `${c.what} (plain string)`);
    const j = results[2 * i + 1]!;
    const parsed = JSON.parse(j.out!) as { 'http.request.body': string; count: number };
    assert.ok(matches(c, parsed['http.request.body']) && parsed.count === 5, `${c.what} (stored JSON): unexpected result`);
    assert.deepEqual(j.counts, c.counts, `${c.what} (stored JSON)`);
  });
}

for (const chars of [1 * MiB, 4 * MiB]) {
  test(`${chars / MiB} MiB adversarial values are redacted within ${TIMEOUT_MS / 1000} s (linear time)`, { timeout: TIMEOUT_MS }, async (t) => {
    await assertRedacted(adversarial(chars), t.signal);
  });
}

test(
  `4 MiB of stored JSON inside a string (escaped quotes everywhere) is scanned for keys within ${TIMEOUT_MS / 1000} s`,
  { timeout: TIMEOUT_MS },
  async (t) => {
    const inner = run('{\\"k\\":\\"v\\",', 4 * MiB);
    const text = `{"payload":"${inner}","db.password":"hunter2"}`;
    const [r] = await redactOffThread([{ kind: 'json', text }], t.signal);
    assert.ok(r!.out === `{"payload":"${inner}","db.password":"[REDACTED]"}`, 'the key after the long value is still found and redacted');
    assert.deepEqual(r!.counts, { 'password keys': 1 });
  },
);
