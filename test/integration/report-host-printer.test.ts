/**
 * The desktop app prints report PDFs with Electron's printToPDF, not a separate Chromium: the
 * report's job worker calls `print` on the core's thread, which calls `print` on the Electron
 * main process, which answers with the bytes. This runs the built core host
 * (dist/app/core-host.js) in a child process, driven by the main process's own CoreConnection
 * with the Chromium route standing in for printToPDF: it forwards a window's createReport call
 * and prints what the host asks for. The PDF it printed is the one sealed and recorded, and it
 * verifies; a failed print is a clear error that records nothing; HTML never asks to print.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { htmlToPdf } from '../../electron/core/reports/report-pdf.js';
import type { ApiMethod, ApiResponses } from '../../shared/api/contract.js';
import { runCli, tempDir } from '../helpers/serve-process.js';
import { forkCoreHost, type CoreHostProcess } from '../helpers/core-host-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

let host: CoreHostProcess;
const printRequests: string[] = [];
let failPrinting = false;

before(async () => {
  const dir = tempDir();
  host = forkCoreHost(['--db', path.join(dir, 'host.db'), '--otlp-http-port', '0', '--otlp-grpc-port', 'off'], {
    // What electron/main/print-pdf.ts does with printToPDF.
    printPdf: async (html) => {
      printRequests.push(html);
      if (failPrinting) throw new Error('the print window crashed');
      return new Uint8Array(await htmlToPdf(html));
    },
  });
  const ports = await host.ready;
  const res = await fetch(`http://127.0.0.1:${ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: syntheticTraceRequest('4bf92f3577b34da6a3ce929d0e0e4736', 5, { service: 'checkout', startTimeUnixNano: BigInt(Date.now() - 60_000) * 1_000_000n }),
  });
  assert.equal(res.status, 200);
});

after(() => host?.stop());

/** A contract call as a window makes it, through the main process. */
function call<M extends ApiMethod>(method: M, request: unknown): Promise<ApiResponses[M]> {
  return host.core.callApi(method, request);
}

test('a PDF report asked for by the window is printed by the main process, sealed and verifiable', async () => {
  const entry = await call('createReport', { format: 'pdf' });
  assert.equal(printRequests.length, 1, 'the main process was asked to print once');
  assert.match(printRequests[0]!, /^<!doctype html>/i);
  assert.match(
    printRequests[0]!,
    /"datasetName":"live","kind":"live","source":"OTLP receivers","traces":1,"spans":5,/,
    'the HTML to print is the report of this store',
  );
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
