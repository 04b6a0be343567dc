/**
 * Export round trip: OTLP JSON with every span field and value type goes in, comes out as
 * OTLP JSON Lines (plain and gzip), goes back in, and comes out again identical, field by
 * field, and equal to what was sent. Filters (service, time range, trace IDs) select traces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { cliJson, runCli, tempDir } from '../helpers/serve-process.js';
import type { OtlpJsonSpan, OtlpJsonTraces } from '../../electron/core/store/otlp-trace-export.js';

const dir = tempDir('sightline-export-');
const T0 = 1_700_000_000_000_000_000n;

function span(traceId: string, spanId: string, parent: string | null, offsetNs: bigint, extra: Partial<OtlpJsonSpan> = {}): OtlpJsonSpan {
  return {
    traceId,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: `op-${spanId.slice(-2)}`,
    kind: 2,
    startTimeUnixNano: String(T0 + offsetNs),
    endTimeUnixNano: String(T0 + offsetNs + 1_234_567n),
    attributes: [],
    events: [],
    links: [],
    status: { code: 0 },
    ...extra,
  };
}

const traceA = '0af7651916cd43dd8448eb211c80319c';
const traceB = '1bf7651916cd43dd8448eb211c80319d';
const rich: OtlpJsonTraces = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'ranker' } },
          { key: 'host.cpu.count', value: { intValue: '64' } },
        ],
        droppedAttributesCount: 2,
      },
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeSpans: [
        {
          scope: { name: 'inference', version: '1.2.3', attributes: [{ key: 'lib.flag', value: { boolValue: true } }], droppedAttributesCount: 1 },
          schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
          spans: [
            span(traceA, '00000000000000a1', null, 0n, {
              traceState: 'vendor=abc,other=1',
              flags: 257,
              attributes: [
                { key: 'str', value: { stringValue: 'héllo "quoted" \\ back\nline' } },
                { key: 'int.max', value: { intValue: '9223372036854775807' } },
                { key: 'int.min', value: { intValue: '-9223372036854775808' } },
                { key: 'whole.double', value: { doubleValue: 3 } },
                { key: 'double', value: { doubleValue: 0.1 } },
                { key: 'inf', value: { doubleValue: 'Infinity' } },
                { key: 'bool', value: { boolValue: false } },
                { key: 'bytes', value: { bytesValue: 'AAECAwQ=' } },
                { key: 'array', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { doubleValue: 1.5 }] } } },
                {
                  key: 'kvlist',
                  value: { kvlistValue: { values: [{ key: 'nested', value: { kvlistValue: { values: [{ key: 'deep', value: { stringValue: 'x' } }] } } }] } },
                },
                { key: 'empty', value: {} },
              ],
              droppedAttributesCount: 3,
              events: [
                { timeUnixNano: String(T0 + 999n), name: 'cache.miss', attributes: [{ key: 'k', value: { intValue: '7' } }], droppedAttributesCount: 1 },
              ],
              droppedEventsCount: 4,
              links: [
                {
                  traceId: traceB,
                  spanId: '00000000000000b1',
                  traceState: 'x=y',
                  attributes: [{ key: 'why', value: { stringValue: 'batch' } }],
                  droppedAttributesCount: 0,
                  flags: 1,
                },
              ],
              droppedLinksCount: 5,
              status: { code: 2, message: 'boom' },
            }),
            span(traceA, '00000000000000a2', '00000000000000a1', 5_000_000n, { kind: 3 }),
          ],
        },
      ],
    },
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'feature-store' } }] },
      scopeSpans: [{ scope: { name: '' }, spans: [span(traceB, '00000000000000b1', null, 3_600_000_000_000n, { kind: 1 })] }],
    },
  ],
};

/** Every span of an export, keyed by trace and span ID, with its resource and scope. */
function spansOf(lines: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const line of lines.split('\n').filter(Boolean)) {
    const req = JSON.parse(line) as OtlpJsonTraces;
    for (const rs of req.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const s of ss.spans)
          out.set(`${s.traceId}/${s.spanId}`, { resource: rs.resource, resourceSchema: rs.schemaUrl, scope: ss.scope, scopeSchema: ss.schemaUrl, span: s });
  }
  return out;
}

test('export → import → export is identical, field by field, and equal to what was sent', async () => {
  const db1 = path.join(dir, 'one.db');
  const input = path.join(dir, 'input.json');
  fs.writeFileSync(input, JSON.stringify(rich));
  assert.equal((await runCli(['import', input, '--db', db1, '--dataset', 'orig'])).code, 0);
  const out1 = path.join(dir, 'first.jsonl.gz');
  const r1 = await cliJson<{ traces: number; spans: number }>(['export', '--db', db1, '--dataset', 'orig', '--out', out1, '--json']);
  assert.deepEqual([r1.traces, r1.spans], [2, 3]);
  const text1 = zlib.gunzipSync(fs.readFileSync(out1)).toString();

  const db2 = path.join(dir, 'two.db');
  assert.equal((await runCli(['import', out1, '--db', db2, '--dataset', 'again'])).code, 0);
  const out2 = path.join(dir, 'second.jsonl');
  await cliJson(['export', '--db', db2, '--dataset', 'again', '--out', out2, '--json']);
  const text2 = fs.readFileSync(out2, 'utf8');

  assert.deepEqual(spansOf(text2), spansOf(text1), 'a second round trip changes nothing');
  const sent = spansOf(JSON.stringify(rich));
  assert.deepEqual(spansOf(text1), sent, 'what comes out is what went in');
});

test('export filters: service, time range, trace IDs', async () => {
  const db = path.join(dir, 'filters.db');
  const input = path.join(dir, 'filters.json');
  fs.writeFileSync(input, JSON.stringify(rich));
  await runCli(['import', input, '--db', db, '--dataset', 'f']);
  const count = async (args: string[]): Promise<number> => {
    const out = path.join(dir, `f-${Math.random().toString(36).slice(2)}.jsonl`);
    const r = await cliJson<{ traces: number }>(['export', '--db', db, '--dataset', 'f', '--out', out, '--json', ...args]);
    return r.traces;
  };
  assert.equal(await count(['--service', 'feature-store']), 1);
  assert.equal(await count(['--service', 'nobody']), 0);
  const t0Ms = Number(T0 / 1_000_000n);
  assert.equal(await count(['--from', String(t0Ms + 60_000)]), 1, 'only the trace an hour later');
  assert.equal(await count(['--to', new Date(t0Ms + 60_000).toISOString()]), 1);
  assert.equal(await count(['--trace', traceA, '--trace', traceB.toUpperCase()]), 2);
  const bad = await runCli(['export', '--db', db, '--dataset', 'nope', '--out', path.join(dir, 'x.jsonl')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /no dataset named "nope"/);
});
