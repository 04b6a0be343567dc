/**
 * npm run bench:ingest — sustained OTLP/HTTP protobuf ingest into a running `sightline serve`
 * (BENCH_PROTOCOL=grpc: the same bodies over OTLP/gRPC).
 *
 * Several concurrent senders replay pre-encoded bodies (SDK-made traces, fresh trace IDs per
 * send) for BENCH_SECONDS (default 30), while a reader polls the trace list through the UI
 * API. Printed: sustained spans/s, p99 request latency, the serve process's peak RSS, the
 * p95 of trace-list queries during ingest, and the ratio to raw better-sqlite3 inserts of the
 * same span rows (same schema and indexes) measured in this run. The last line is one JSON
 * object with those figures.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as grpc from '@grpc/grpc-js';
import { makeSpans, encodeRequest, ReplayableBody } from './realistic-traces.js';
import { startServe, tempDir } from '../helpers/serve-process.js';
import { machine, peakRssMb, percentile, postTraces, threadCpuBetween, threadCpuSeconds } from './bench-helpers.js';
import { decodeProtobuf } from '../../electron/core/otlp/decode-proto.js';
import { MIGRATIONS } from '../../electron/core/store/migrations.js';
import type { SpanRecord } from '../../electron/core/otlp/model.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 30);
const SENDERS = Number(process.env['BENCH_SENDERS'] ?? 8);
/** 'http' (OTLP/HTTP protobuf) or 'grpc' (OTLP/gRPC, the same protobuf bodies). */
const PROTOCOL = process.env['BENCH_PROTOCOL'] === 'grpc' ? 'grpc' : 'http';
const TRACES_PER_REQUEST = 60;
const TEMPLATES = 24;

/** The physical limit: plain INSERTs of the same span rows into the same schema. */
function rawInsertRate(bodies: ReplayableBody[], targetRows: number): number {
  const dir = tempDir('sightline-bench-raw-');
  const db = new Database(path.join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const m of MIGRATIONS) db.exec(m.sql);
  const insert = db.prepare(
    `INSERT INTO spans(trace_seq, trace_id, span_id, parent_span_id, resource_id, scope_id, name, kind, start_time_unix_nano, end_time_unix_nano,
       status_code, status_message, trace_state, flags, attributes, dropped_attributes_count, events, dropped_events_count, links, dropped_links_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Rows prepared up front, so only the inserts are timed.
  const batches: SpanRecord[][] = [];
  let rows = 0;
  for (let i = 0; rows < targetRows; i++) {
    const batch = decodeProtobuf('traces', bodies[i % bodies.length]!.replay(0x7000_0000 + i));
    const list = batch.spans.flatMap((g) => g.spans);
    batches.push(list);
    rows += list.length;
  }
  // The raw baseline gets trace sequence numbers for free (a Map), as the store's index needs.
  const seqs = new Map<string, number>();
  const insertAll = db.transaction((list: SpanRecord[]) => {
    for (const s of list) {
      const key = s.traceId.toString('latin1');
      let seq = seqs.get(key);
      if (seq === undefined) seqs.set(key, (seq = seqs.size + 1));
      insert.run(
        seq,
        s.traceId,
        s.spanId,
        s.parentSpanId,
        1,
        1,
        s.name,
        s.kind,
        s.startTimeUnixNano,
        s.endTimeUnixNano,
        s.statusCode,
        s.statusMessage,
        s.traceState,
        s.flags,
        s.attributesJson,
        s.droppedAttributesCount,
        s.eventsJson,
        s.droppedEventsCount,
        s.linksJson,
        s.droppedLinksCount,
      );
    }
  });
  const t0 = performance.now();
  for (const list of batches) insertAll(list);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return rows / seconds;
}

async function main(): Promise<void> {
  process.stderr.write(`bench:ingest: preparing ${TEMPLATES} request templates of ${TRACES_PER_REQUEST} traces…\n`);
  const bodies: ReplayableBody[] = [];
  for (let i = 0; i < TEMPLATES; i++) {
    const spans = await makeSpans(TRACES_PER_REQUEST, i + 1);
    bodies.push(new ReplayableBody(encodeRequest(spans), spans));
  }
  const spansPerRequest = bodies.reduce((n, b) => n + b.spanCount, 0) / bodies.length;
  const bytesPerRequest = bodies.reduce((n, b) => n + b.template.length, 0) / bodies.length;

  process.stderr.write('bench:ingest: measuring raw better-sqlite3 inserts of the same rows…\n');
  const rawRate = rawInsertRate(bodies, Number(process.env['BENCH_RAW_ROWS'] ?? 1_000_000)); // about one run's volume: both sides see a growing file

  const dir = tempDir('sightline-bench-');
  const serve = await startServe(path.join(dir, 'bench.db'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: SENDERS });
  const latenciesMs: number[] = [];
  const queryMs: number[] = [];
  let spansAcked = 0;
  let refused = 0;
  let counter = 1;
  const deadline = performance.now() + SECONDS * 1000;
  process.stderr.write(
    `bench:ingest: ${SENDERS} ${PROTOCOL === 'grpc' ? 'OTLP/gRPC' : 'OTLP/HTTP'} senders for ${SECONDS} s (${spansPerRequest.toFixed(0)} spans, ${(bytesPerRequest / 1024).toFixed(0)} KiB per request)…\n`,
  );

  const grpcClient = PROTOCOL === 'grpc' ? new grpc.Client(`127.0.0.1:${serve.ports.otlpGrpc}`, grpc.credentials.createInsecure()) : null;
  /** One export over the chosen protocol; the HTTP status it amounts to (gRPC RESOURCE_EXHAUSTED is the 503). */
  const send = (payload: Buffer): Promise<number> =>
    grpcClient === null
      ? postTraces(agent, serve.ports.otlpHttp, payload).then((r) => r.status)
      : new Promise((resolve, reject) =>
          grpcClient.makeUnaryRequest(
            '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
            (b: Buffer) => b,
            (b: Buffer) => b,
            payload,
            (err) => (!err ? resolve(200) : err.code === grpc.status.RESOURCE_EXHAUSTED ? resolve(503) : reject(err)),
          ),
        );
  const sender = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const body = bodies[counter % bodies.length]!;
      const payload = body.replay(counter++);
      const t0 = performance.now();
      const status = await send(payload);
      latenciesMs.push(performance.now() - t0);
      if (status === 200) spansAcked += body.spanCount;
      else if (status === 503) {
        refused++;
        await new Promise((r) => setTimeout(r, 100));
      } else throw new Error(`unexpected status ${status}`);
    }
  };
  const querier = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const r = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/searchTraces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"limit":200}',
      });
      await r.json();
      queryMs.push(performance.now() - t0);
      await new Promise((res) => setTimeout(res, 100));
    }
  };
  const progress = setInterval(() => process.stderr.write(`  … ${spansAcked.toLocaleString()} spans acknowledged\n`), 5000);
  const t0 = performance.now();
  const serveCpuBefore = threadCpuSeconds(serve.proc.pid!);
  const benchCpuBefore = process.cpuUsage();
  await Promise.all([...Array.from({ length: SENDERS }, sender), querier()]);
  const elapsed = (performance.now() - t0) / 1000;
  const serveThreadsCpu = threadCpuBetween(serveCpuBefore, threadCpuSeconds(serve.proc.pid!));
  const benchCpu = process.cpuUsage(benchCpuBefore);
  clearInterval(progress);
  const peakMb = peakRssMb(serve.proc.pid!);
  grpcClient?.close();
  await serve.stop();
  agent.destroy();
  fs.rmSync(dir, { recursive: true, force: true });

  const spansPerSecond = spansAcked / elapsed;
  const result = {
    benchmark: 'ingest',
    machine: machine(),
    seconds: Number(elapsed.toFixed(1)),
    senders: SENDERS,
    protocol: PROTOCOL,
    spansPerSecond: Math.round(spansPerSecond),
    requestP99Ms: Number(percentile(latenciesMs, 99).toFixed(1)),
    refused503: refused,
    peakRssMb: Math.round(peakMb),
    traceListQueryP95Ms: Number(percentile(queryMs, 95).toFixed(1)),
    rawInsertSpansPerSecond: Math.round(rawRate),
    // CPU the serve process spent per acknowledged span, and its three busiest threads' share of the wall time
    // (the writer, the decoder and the main thread under this load): on 2 cores shared with the senders, CPU per span is what moves the rate.
    serveCpuUsPerSpan: Number(((serveThreadsCpu.reduce((a, b) => a + b, 0) * 1e6) / spansAcked).toFixed(1)),
    busiestThreadsShare: serveThreadsCpu.slice(0, 3).map((s) => Number((s / elapsed).toFixed(2))),
    sendersCpuUsPerSpan: Number(((benchCpu.user + benchCpu.system) / spansAcked).toFixed(1)),
    ratioToRawInsert: Number((spansPerSecond / rawRate).toFixed(2)),
  };
  console.log(`sustained ingest:        ${result.spansPerSecond.toLocaleString()} spans/s over ${result.seconds} s`);
  console.log(`request latency p99:     ${result.requestP99Ms} ms (${refused} requests refused with 503)`);
  console.log(`serve peak RSS:          ${result.peakRssMb} MB`);
  console.log(`trace list p95 (ingest): ${result.traceListQueryP95Ms} ms`);
  console.log(`raw better-sqlite3:      ${result.rawInsertSpansPerSecond.toLocaleString()} spans/s → ratio ${result.ratioToRawInsert}`);
  console.log(
    `CPU per span:            serve ${result.serveCpuUsPerSpan} µs (busiest threads ${result.busiestThreadsShare.map((x) => `${Math.round(x * 100)}%`).join(', ')} of the wall time), senders ${result.sendersCpuUsPerSpan} µs`,
  );
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
