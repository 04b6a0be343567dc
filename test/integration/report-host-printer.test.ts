/**
 * The desktop app prints report PDFs with Electron's printToPDF, not a separate Chromium: the
 * report worker hands the HTML to the core's thread, which hands it to the Electron main
 * process (HostToMain 'print'), which answers with the bytes (MainToHost 'printed'). This runs
 * the built core host (dist/app/core-host.js) in a child process and plays the main process:
 * it forwards a window's createReport call and prints what the host asks for, with the Chromium
 * route standing in for printToPDF. The PDF it printed is the one sealed and recorded, and it
 * verifies; a failed print is a clear error that records nothing; HTML never asks to print.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { htmlToPdf } from '../../electron/core/reports/report-pdf.js';
import type { HostToMain, MainToHost } from '../../electron/main/host-messages.js';
import type { ApiMethod, ApiResponses } from '../../shared/api/contract.js';
import { ROOT, runCli, tempDir } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

let host: ChildProcess;
let otlpHttpPort = 0;
const printRequests: string[] = [];
let failPrinting = false;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextId = 1;

function call<M extends ApiMethod>(method: M, request: unknown): Promise<ApiResponses[M]> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    host.send({ type: 'call', id, method, request } satisfies MainToHost);
  });
}

before(async () => {
  const dir = tempDir();
  host = fork(path.join(ROOT, 'test', 'helpers', 'utility-process-shim.mjs'), ['--db', path.join(dir, 'host.db'), '--otlp-http-port', '0', '--otlp-grpc-port', 'off'], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    host.on('message', (m: HostToMain) => {
      if (m.type === 'ready') {
        otlpHttpPort = m.ports.otlpHttp;
        resolve();
      } else if (m.type === 'failed') reject(new Error(m.message));
      else if (m.type === 'result') {
        const p = pending.get(m.id)!;
        pending.delete(m.id);
        m.ok ? p.resolve(m.value) : p.reject(new Error(m.error));
      } else if (m.type === 'print') {
        // What electron/main/print-pdf.ts does with printToPDF.
        printRequests.push(m.html);
        const answer = failPrinting ? Promise.reject(new Error('the print window crashed')) : htmlToPdf(m.html);
        answer.then(
          (pdf) => host.send({ type: 'printed', id: m.id, ok: true, pdf: new Uint8Array(pdf) } satisfies MainToHost),
          (e: Error) => host.send({ type: 'printed', id: m.id, ok: false, error: `printing the PDF failed: ${e.message}` } satisfies MainToHost),
        );
      }
    });
    host.once('exit', (code) => reject(new Error(`the core host exited (${code})`)));
  });
  const res = await fetch(`http://127.0.0.1:${otlpHttpPort}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: syntheticTraceRequest('4bf92f3577b34da6a3ce929d0e0e4736', 5, { service: 'checkout', startTimeUnixNano: BigInt(Date.now() - 60_000) * 1_000_000n }),
  });
  assert.equal(res.status, 200);
});

after(async () => {
  if (!host || host.exitCode !== null) return;
  const closed = new Promise((resolve) => host.once('exit', resolve));
  host.send({ type: 'shutdown' } satisfies MainToHost);
  await closed;
});

test('a PDF report asked for by the window is printed by the main process, sealed and verifiable', async () => {
  const entry = await call('createReport', { format: 'pdf' });
  assert.equal(printRequests.length, 1, 'the main process was asked to print once');
  assert.match(printRequests[0]!, /^<!doctype html>/i);
  assert.match(printRequests[0]!, /"dataset":"live","kind":"live","source":"OTLP receivers","traces":1,"spans":5,/, 'the HTML to print is the report of this store');
  assert.equal(entry.format, 'pdf');
  const bytes = fs.readFileSync(entry.path);
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  assert.match(execFileSync('pdftotext', [entry.path, '-'], { encoding: 'utf8' }), /Model drift and infrastructure report/);
  const v = await runCli(['verify', entry.path]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
});

test('a failed print is a clear error and records no report; HTML reports never ask to print', async () => {
  const before = (await call('listReports', {})).length;
  failPrinting = true;
  await assert.rejects(call('createReport', { format: 'pdf' }), /printing the PDF failed: the print window crashed/);
  failPrinting = false;
  assert.equal((await call('listReports', {})).length, before);
  const asked = printRequests.length;
  const html = await call('createReport', { format: 'html' });
  assert.equal(printRequests.length, asked);
  assert.equal(path.extname(html.path), '.html');
  assert.equal((await call('listReports', {})).length, before + 1);
});
