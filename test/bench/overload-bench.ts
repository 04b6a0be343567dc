/**
 * npm run bench:overload — what `sightline serve` does when senders want more than it can
 * write. First it measures the sustainable rate (closed-loop senders, as bench:ingest), then
 * it offers OVERLOAD (default 3) times that rate open-loop for OVERLOAD_SECONDS (default 60):
 * requests leave on schedule whether or not earlier ones were answered, as a fleet of SDKs
 * would send them. Printed: the accepted rate, the refusals (503 with Retry-After), the p99
 * latency of accepted requests, the serve process's peak RSS and its RSS 10 s after the load,
 * and lost spans (acknowledged with 200 but not in the store). The last line is one JSON object.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { makeSpans, encodeRequest, ReplayableBody } from './realistic-traces.js';
import { startServe, tempDir } from '../helpers/serve-process.js';
import { machine, peakRssMb, percentile, postTraces, rssMb } from './bench-helpers.js';

const CALIBRATE_SECONDS = Number(process.env['CALIBRATE_SECONDS'] ?? 15);
const OVERLOAD_SECONDS = Number(process.env['OVERLOAD_SECONDS'] ?? 60);
const OVERLOAD = Number(process.env['OVERLOAD'] ?? 3);
const SENDERS = 8;
/** Requests the load generator keeps open at most; beyond it a send counts as not made. */
const MAX_IN_FLIGHT = 512;

async function main(): Promise<void> {
  const bodies: ReplayableBody[] = [];
  for (let i = 0; i < 24; i++) {
    const spans = await makeSpans(60, i + 1);
    bodies.push(new ReplayableBody(encodeRequest(spans), spans));
  }
  const dir = tempDir('sightline-overload-');
  const serve = await startServe(path.join(dir, 'overload.db'));
  const port = serve.ports.otlpHttp;
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  let counter = 1;
  let acked = 0;

  // 1. The sustainable rate: closed-loop senders, each sending as soon as the last answer came.
  process.stderr.write(`bench:overload: measuring the sustainable rate for ${CALIBRATE_SECONDS} s…\n`);
  const calibrateEnd = performance.now() + CALIBRATE_SECONDS * 1000;
  let calibrated = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (performance.now() < calibrateEnd) {
        const body = bodies[counter % bodies.length]!;
        const { status } = await postTraces(agent, port, body.replay(counter++));
        if (status === 200) calibrated += body.spanCount;
        else await new Promise((r) => setTimeout(r, 50));
      }
    }),
  );
  const sustainable = calibrated / ((performance.now() - t0) / 1000);
  acked += calibrated;

  // 2. OVERLOAD × that rate, open loop.
  const spansPerRequest = bodies.reduce((n, b) => n + b.spanCount, 0) / bodies.length;
  const requestsPerSecond = (OVERLOAD * sustainable) / spansPerRequest;
  process.stderr.write(
    `bench:overload: sustainable ${Math.round(sustainable).toLocaleString()} spans/s; offering ${OVERLOAD}× (${requestsPerSecond.toFixed(0)} requests/s) for ${OVERLOAD_SECONDS} s…\n`,
  );
  const latencies: number[] = [];
  let accepted = 0;
  let refused = 0;
  let otherStatus = 0;
  let notSent = 0;
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const progress = setInterval(
    () => process.stderr.write(`  … ${accepted.toLocaleString()} spans accepted, ${refused} refused, RSS ${Math.round(rssMb(serve.proc.pid!))} MB\n`),
    10_000,
  );
  for (let i = 0; ; i++) {
    const due = start + (i * 1000) / requestsPerSecond;
    if (due > start + OVERLOAD_SECONDS * 1000) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= MAX_IN_FLIGHT) {
      notSent++;
      continue;
    }
    const body = bodies[counter % bodies.length]!;
    const payload = body.replay(counter++);
    inFlight++;
    const sent = performance.now();
    pending.push(
      postTraces(agent, port, payload).then(
        ({ status }) => {
          inFlight--;
          if (status === 200) {
            accepted += body.spanCount;
            latencies.push(performance.now() - sent);
          } else if (status === 503) refused++;
          else otherStatus++;
        },
        () => {
          inFlight--;
          otherStatus++;
        },
      ),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  clearInterval(progress);
  acked += accepted;
  const peakMb = peakRssMb(serve.proc.pid!);
  await new Promise((r) => setTimeout(r, 10_000));
  const afterMb = rssMb(serve.proc.pid!);
  const stats = (await (
    await fetch(`http://127.0.0.1:${serve.ports.ui}/api/getStats`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
  ).json()) as { result: { spans: number } };
  await serve.stop();
  agent.destroy();
  fs.rmSync(dir, { recursive: true, force: true });

  const result = {
    benchmark: 'overload',
    machine: machine(),
    overload: OVERLOAD,
    seconds: Number(elapsed.toFixed(1)),
    sustainableSpansPerSecond: Math.round(sustainable),
    offeredSpansPerSecond: Math.round(OVERLOAD * sustainable),
    acceptedSpansPerSecond: Math.round(accepted / elapsed),
    refused503: refused,
    otherFailures: otherStatus,
    notSentClientFull: notSent,
    acceptedP99Ms: Number(percentile(latencies, 99).toFixed(1)),
    peakRssMb: Math.round(peakMb),
    rssAfterLoadMb: Math.round(afterMb),
    lostSpans: acked - stats.result.spans,
  };
  console.log(
    `sustainable rate:     ${result.sustainableSpansPerSecond.toLocaleString()} spans/s; offered ${OVERLOAD}×: ${result.offeredSpansPerSecond.toLocaleString()} spans/s for ${result.seconds} s`,
  );
  console.log(
    `accepted:             ${result.acceptedSpansPerSecond.toLocaleString()} spans/s (ratio to sustainable ${(result.acceptedSpansPerSecond / result.sustainableSpansPerSecond).toFixed(2)})`,
  );
  console.log(`refused (503):        ${refused} requests; other failures ${otherStatus}; not sent (client full) ${notSent}`);
  console.log(`accepted p99:         ${result.acceptedP99Ms} ms`);
  console.log(`serve RSS:            peak ${result.peakRssMb} MB, 10 s after the load ${result.rssAfterLoadMb} MB`);
  console.log(`lost spans:           ${result.lostSpans} (acknowledged but not stored)`);
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
