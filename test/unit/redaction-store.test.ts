/**
 * Redaction on real stores written by the real decoder and ingest writer: every stored string
 * field passes the rules (scope names, metric names and descriptions, severity texts, event
 * names, trace states…); IP pseudonyms are stable across batches and connections, distinct per
 * address, keyed by the store's 0600 key file; the writer leaves a batch marked redacted as it
 * is, while the decode path redacts, carries the counts into the batch's transaction, uses
 * rules saved a moment before, and indexes the redacted attributes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openReader, openWriter, type Db } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { TraceQueries } from '../../electron/core/store/trace-queries.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { decodeRequest } from '../../electron/core/ingest/decode-request.js';
import { DecoderStore } from '../../electron/core/ingest/decoder-store.js';
import { DecoderRedaction } from '../../electron/core/ingest/decoder-redaction.js';
import { readRedactionCounts, writeRedactionRules } from '../../electron/core/redaction/redaction-settings.js';
import { DEFAULT_REDACTION_RULES } from '../../shared/model/redaction.js';
import { tempDir } from '../helpers/serve-process.js';

const T0 = String(BigInt(Date.now() - 60_000) * 1_000_000n);
const T1 = String(BigInt(Date.now() - 59_000) * 1_000_000n);
const kv = (key: string, v: string): object => ({ key, value: { stringValue: v } });
const resource = { attributes: [kv('service.name', 'checkout'), kv('deploy.owner', 'owner@example.com')] };

function tracesRequest(traceId: string, spanId: string, attributes: object[], extra: object = {}): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource,
        scopeSpans: [{ scope: { name: 'lib' }, spans: [{ traceId, spanId, name: 'op', startTimeUnixNano: T0, endTimeUnixNano: T1, attributes, ...extra }] }],
      },
    ],
  });
}

function storeBytes(dbPath: string): string {
  return [dbPath, `${dbPath}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

const one = (db: Db, sql: string): unknown => db.prepare(sql).pluck().get();

test('every stored string field passes the value rules: scopes, metric names and descriptions, severity texts, event names, trace states…', () => {
  const dbPath = path.join(tempDir(), 'fields.db');
  const db = openWriter(dbPath);
  const writer = new IngestWriter(db);
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const scope = (who: string): object => ({
    name: `${who} ${who}@example.com`,
    version: '1.0 AKIAIOSFODNN7EXAMPLE',
    attributes: [kv('scope.contact', `${who}.scope@example.com`)],
  });
  writer.write([
    decodeJson(
      'traces',
      JSON.stringify({
        resourceSpans: [
          {
            resource,
            scopeSpans: [
              {
                scope: scope('tracer'),
                spans: [
                  {
                    traceId,
                    spanId: '00000000000000a1',
                    name: 'GET /users/alice@example.com',
                    startTimeUnixNano: T0,
                    endTimeUnixNano: T1,
                    traceState: 'vendor=bob@example.com',
                    status: { code: 2, message: 'denied for carol@example.com' },
                    events: [{ timeUnixNano: T0, name: 'login dave@example.com', attributes: [kv('slack', 'xoxb-123456789012-abcdefghijkl')] }],
                    links: [{ traceId: '1af7651916cd43dd8448eb211c80319c', spanId: '00000000000000b1', traceState: 'k=erin@example.com' }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ),
    decodeJson(
      'metrics',
      JSON.stringify({
        resourceMetrics: [
          {
            resource,
            scopeMetrics: [
              {
                scope: scope('meter'),
                metrics: [
                  {
                    name: 'requests of frank@example.com',
                    description: 'per caller, e.g. grace@example.com',
                    unit: '{heidi@example.com}',
                    gauge: {
                      dataPoints: [
                        {
                          timeUnixNano: T1,
                          asDouble: 1,
                          attributes: [kv('who', 'ivan@example.com')],
                          exemplars: [
                            { timeUnixNano: T1, asDouble: 1, traceId, spanId: '00000000000000a1', filteredAttributes: [kv('who', 'judy@example.com')] },
                          ],
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    ),
    decodeJson(
      'logs',
      JSON.stringify({
        resourceLogs: [
          {
            resource,
            scopeLogs: [
              {
                scope: scope('logger'),
                logRecords: [
                  {
                    timeUnixNano: T1,
                    severityText: 'WARN mallory@example.com',
                    eventName: 'signup niaj@example.com',
                    body: { stringValue: 'hello oscar@example.com' },
                    attributes: [kv('x', 'peggy@example.com')],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ),
  ]);
  const bytes = storeBytes(dbPath);
  for (const secret of ['@example.com', 'AKIAIOSFODNN7EXAMPLE', 'xoxb-123456789012']) assert.equal(bytes.indexOf(secret), -1, `"${secret}" reached the store`);
  const mail = '[REDACTED:e-mail addresses]';
  assert.deepEqual(
    db.prepare('SELECT name, version FROM scopes ORDER BY id').all(),
    ['tracer', 'meter', 'logger'].map((who) => ({ name: `${who} ${mail}`, version: '1.0 [REDACTED:AWS access key IDs]' })),
  );
  assert.deepEqual(db.prepare('SELECT name, description, unit FROM metrics').get(), {
    name: `requests of ${mail}`,
    description: `per caller, e.g. ${mail}`,
    unit: `{${mail}}`,
  });
  assert.deepEqual(db.prepare('SELECT severity_text, event_name FROM log_records').get(), { severity_text: `WARN ${mail}`, event_name: `signup ${mail}` });
  assert.deepEqual(db.prepare('SELECT name, trace_state, status_message FROM spans').get(), {
    name: `GET /users/${mail}`,
    trace_state: `vendor=${mail}`,
    status_message: `denied for ${mail}`,
  });
  const events = JSON.parse(one(db, 'SELECT events FROM spans') as string) as { name: string; attributes: Record<string, string> }[];
  assert.equal(events[0]!.name, `login ${mail}`);
  assert.equal(events[0]!.attributes['slack'], '[REDACTED:Slack tokens and webhooks]');
  assert.equal((JSON.parse(one(db, 'SELECT links FROM spans') as string) as { traceState: string }[])[0]!.traceState, `k=${mail}`);
  assert.equal(JSON.parse(one(db, 'SELECT filtered_attributes FROM exemplars') as string).who, mail);
  db.close();
});

test('pseudonymised IP addresses are stable across batches and connections, distinct per address, keyed by the store key (0600)', () => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'peers.db');
  const traceId = '2af7651916cd43dd8448eb211c80319c';
  let db = openWriter(dbPath);
  new IngestWriter(db).write([
    decodeJson('traces', tracesRequest(traceId, '00000000000000a1', [kv('network.peer.address', '10.0.0.1'), kv('client.address', '10.0.0.2')])),
  ]);
  db.close();
  db = openWriter(dbPath); // a second connection and writer load the same key
  new IngestWriter(db).write([decodeJson('traces', tracesRequest(traceId, '00000000000000a2', [kv('network.peer.address', '10.0.0.1')]))]);
  const attrs = (db.prepare('SELECT attributes FROM spans ORDER BY span_id').pluck().all() as string[]).map((a) => JSON.parse(a) as Record<string, string>);
  const [first, second] = attrs;
  assert.match(first!['network.peer.address']!, /^ip:[0-9a-f]{12}$/);
  assert.equal(second!['network.peer.address'], first!['network.peer.address'], 'the same peer, the same pseudonym');
  assert.notEqual(first!['client.address'], first!['network.peer.address'], 'another peer, another pseudonym');
  const keyFile = path.join(dir, 'keys', 'redaction-pseudonym.key');
  if (process.platform !== 'win32') assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
  const key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex');
  assert.equal(key.length, 32);
  assert.equal(first!['network.peer.address'], 'ip:' + crypto.createHmac('sha256', key).update('10.0.0.1').digest('hex').slice(0, 12));
  assert.equal(storeBytes(dbPath).indexOf('10.0.0.'), -1, 'no address reached the store');
  assert.deepEqual(readRedactionCounts(db), { 'IPv4 addresses': 3, 'e-mail addresses': 2 }, 'three addresses, and the resource owner in each batch');
  db.close();
});

test('the writer stores a batch marked redacted as it is; the decode path redacts, counts in the same transaction, and uses rules saved just before', () => {
  const dbPath = path.join(tempDir(), 'paths.db');
  const db = openWriter(dbPath);
  const writer = new IngestWriter(db);
  const marked = decodeJson(
    'traces',
    tracesRequest('3af7651916cd43dd8448eb211c80319c', '00000000000000a1', [kv('db.password', 'hunter2'), kv('note', 'alice@example.com')]),
  );
  marked.redacted = true;
  writer.write([marked]);
  assert.deepEqual(
    JSON.parse(one(db, 'SELECT attributes FROM spans') as string),
    { 'db.password': 'hunter2', note: 'alice@example.com' },
    'the writer did not redact again',
  );
  assert.deepEqual(readRedactionCounts(db), {});

  const decoder = new DecoderRedaction(new DecoderStore(dbPath, undefined));
  const traceId = '4af7651916cd43dd8448eb211c80319c';
  const decoded = decodeRequest(
    'traces',
    'json',
    Buffer.from(tracesRequest(traceId, '00000000000000b1', [kv('db.password', 'hunter2'), kv('net.peer.ip', '10.1.1.1'), kv('note', 'patient-0042 seen')])),
    decoder.forRequest(),
  );
  assert.ok('batch' in decoded);
  const batch = decoded.batch;
  assert.equal(batch.redacted, true);
  assert.deepEqual(batch.redactionCounts, { 'password keys': 1, 'IPv4 addresses': 1, 'e-mail addresses': 1 });
  const redactedAttrs = JSON.parse(batch.spans[0]!.spans[0]!.attributesJson) as Record<string, string>;
  assert.equal(redactedAttrs['db.password'], '[REDACTED]', 'redacted before the writer saw it');
  writer.write([batch]);
  assert.deepEqual(readRedactionCounts(db), { 'password keys': 1, 'IPv4 addresses': 1, 'e-mail addresses': 1 });
  const reader = openReader(dbPath);
  const found = new TraceQueries(reader).searchTraces({ attributes: [{ key: 'net.peer.ip', op: 'eq', value: redactedAttrs['net.peer.ip']! }], limit: 10 });
  assert.deepEqual(
    found.map((t) => t.traceId),
    [traceId],
    'the attribute index holds the pseudonym, so a search for it finds the trace',
  );

  const other = openWriter(dbPath);
  writeRedactionRules(other, [...DEFAULT_REDACTION_RULES, { name: 'patient ids', kind: 'value', pattern: 'patient-\\d+' }]);
  other.close();
  const next = decodeRequest(
    'traces',
    'json',
    Buffer.from(tracesRequest(traceId, '00000000000000b2', [kv('note', 'patient-0042 seen')])),
    decoder.forRequest(),
  );
  assert.ok('batch' in next);
  assert.equal(
    JSON.parse(next.batch.spans[0]!.spans[0]!.attributesJson).note,
    '[REDACTED:patient ids] seen',
    'the next request after a save uses the new rules',
  );
  decoder.close();
  reader.close();
  db.close();
});

test("a GenAI message event's body is redacted by the rule matching its name (event name or event.name attribute); an evaluation event and other logs keep theirs", () => {
  const dbPath = path.join(tempDir(), 'genai-events.db');
  const db = openWriter(dbPath);
  const writer = new IngestWriter(db);
  const decoder = new DecoderRedaction(new DecoderStore(dbPath, undefined));
  const log = (eventName: string, attributes: object[], body: object): object => ({
    timeUnixNano: T0,
    ...(eventName ? { eventName } : {}),
    attributes,
    body,
    traceId: '5af7651916cd43dd8448eb211c80319c',
    spanId: '00000000000000c1',
  });
  const kvlist = (entries: [string, string][]): object => ({ kvlistValue: { values: entries.map(([key, v]) => kv(key, v)) } });
  const request = JSON.stringify({
    resourceLogs: [
      {
        resource,
        scopeLogs: [
          {
            scope: { name: 'openai' },
            logRecords: [
              log('gen_ai.user.message', [kv('gen_ai.system', 'openai')], kvlist([['content', 'my account number is 4481-2290']])),
              log(
                '',
                [kv('event.name', 'gen_ai.choice')],
                kvlist([
                  ['finish_reason', 'stop'],
                  ['content', 'Call the bank about 4481-2290.'],
                ]),
              ),
              log('gen_ai.evaluation.result', [kv('gen_ai.evaluation.name', 'relevance')], { stringValue: 'judged by rubric v2' }),
              log('', [], kvlist([['content', 'cache warmed']])),
            ],
          },
        ],
      },
    ],
  });
  const decoded = decodeRequest('logs', 'json', Buffer.from(request), decoder.forRequest());
  assert.ok('batch' in decoded);
  writer.write([decoded.batch]);
  const bodies = db.prepare('SELECT body FROM log_records ORDER BY id').pluck().all() as string[];
  assert.deepEqual(
    bodies.map((b) => JSON.parse(b) as unknown),
    ['[REDACTED]', '[REDACTED]', 'judged by rubric v2', { content: 'cache warmed' }],
  );
  assert.ok(!storeBytes(dbPath).includes('4481-2290'), 'the account number is nowhere in the store');
  assert.deepEqual(readRedactionCounts(db), { 'LLM messages': 1, 'LLM choices': 1, 'e-mail addresses': 1 }, 'the resource holds an e-mail address too');
  db.close();
});
