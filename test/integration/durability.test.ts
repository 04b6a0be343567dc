/**
 * A 2xx means committed: kill -9 the serve process in the middle of ingest, restart it on
 * the same file, and every acknowledged span must be there, with integrity_check ok.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startServe, tempDir } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

const SPANS_PER_TRACE = 20;

function traceRequest(n: number): { traceId: string; body: string } {
  const traceId = 'd' + n.toString(16).padStart(31, '0');
  return {
    traceId,
    body: syntheticTraceRequest(traceId, SPANS_PER_TRACE, { service: 'durable', startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(n) * 1_000_000n }),
  };
}

test('kill -9 during ingest loses no acknowledged span', async () => {
  const dbPath = path.join(tempDir(), 'durable.db');
  const serve = await startServe(dbPath);
  const acknowledged: string[] = [];
  let next = 1;
  let stop = false;
  const sender = async (): Promise<void> => {
    while (!stop) {
      const { traceId, body } = traceRequest(next++);
      try {
        const r = await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
        if (r.status === 200) acknowledged.push(traceId);
      } catch {
        return; // the server is gone
      }
    }
  };
  const senders = Array.from({ length: 6 }, sender);
  // Let ingest run, then kill the server without any chance to clean up.
  while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 20));
  serve.proc.kill('SIGKILL');
  await new Promise((r) => serve.proc.once('exit', r));
  stop = true;
  await Promise.all(senders);
  assert.ok(acknowledged.length >= 200);

  // Restart on the same file: it must open, recover the WAL and keep serving.
  const again = await startServe(dbPath);
  await again.stop();

  const db = new Database(dbPath);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  const count = db.prepare('SELECT count(*) FROM spans WHERE trace_id = ?').pluck();
  const summary = db.prepare('SELECT span_count FROM traces WHERE trace_id = ?').pluck();
  const missing = acknowledged.filter((id) => count.get(Buffer.from(id, 'hex')) !== SPANS_PER_TRACE || summary.get(Buffer.from(id, 'hex')) !== SPANS_PER_TRACE);
  db.close();
  assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged traces are incomplete`);
});
