/**
 * Printing a report PDF stays on this machine. The real printer (htmlToPdf: playwright-core and
 * the local Chromium it picks) prints a page that asks for outside resources, in a child
 * process traced with strace (-f, so every Chromium process is watched). Every socket address
 * the tree connects or sends to must be loopback, and nothing may look a name up: no port 53,
 * no nscd or systemd-resolved. The browser runs sandboxed unless we are root on Linux, and its
 * profile folder is gone afterwards. Skipped only where strace is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir } from '../helpers/serve-process.js';
import { isLoopback, isNameLookup, socketUses, startedPrograms, straceAvailable } from '../helpers/strace-sockets.js';

const HOSTILE_PAGE = `<!DOCTYPE html><html><head>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">
<link rel="dns-prefetch" href="//tracker.example.com"><link rel="preconnect" href="https://cdn.example.net">
</head><body><h1>Drift findings and causes</h1>
<img src="http://203.0.113.7/pixel.gif"><img src="https://example.org/logo.png">
<iframe src="https://example.com/"></iframe>
<p>storage feature-store.read explains the drift</p></body></html>`;

test(
  'printing a PDF connects to nothing off this machine and looks up no name',
  { skip: straceAvailable() ? false : 'strace is not installed (apt-get install strace): this test watches the system calls' },
  () => {
    const dir = tempDir('sightline-pdf-offline-');
    const htmlFile = path.join(dir, 'page.html');
    const pdfFile = path.join(dir, 'out.pdf');
    const traceFile = path.join(dir, 'strace.log');
    fs.writeFileSync(htmlFile, HOSTILE_PAGE);
    const printer = pathToFileURL(path.join(ROOT, 'electron/core/reports/report-pdf.ts')).href;
    const child = `const { htmlToPdf } = await import(${JSON.stringify(printer)});
const fs = await import('node:fs');
fs.writeFileSync(${JSON.stringify(pdfFile)}, await htmlToPdf(fs.readFileSync(${JSON.stringify(htmlFile)}, 'utf8')));`;
    const run = spawnSync(
      'strace',
      [
        '-f',
        '-qq',
        '-s',
        '512',
        '-e',
        'trace=connect,sendto,sendmsg,execve',
        '-o',
        traceFile,
        process.execPath,
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        child,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    assert.equal(run.status, 0, `printing under strace failed: ${run.stderr}`);
    assert.equal(fs.readFileSync(pdfFile).subarray(0, 5).toString(), '%PDF-', 'a PDF was printed');

    const log = fs.readFileSync(traceFile, 'utf8');
    const browser = startedPrograms(log).find((p) => /--remote-debugging-pipe/.test(p.args));
    assert.ok(browser, 'the trace saw the browser start (strace followed the child processes)');
    const uses = socketUses(log);
    const offMachine = uses.filter((u) => !isLoopback(u)).map((u) => `${u.call} ${u.family} ${u.address}:${u.port}`);
    assert.deepEqual(offMachine, [], `socket calls to addresses off this machine while printing with ${browser.program}`);
    const lookups = uses.filter(isNameLookup).map((u) => `${u.call} ${u.family} ${u.address}${u.port === null ? '' : `:${u.port}`}`);
    assert.deepEqual(lookups, [], 'name lookups while printing');

    const root = process.platform === 'linux' && process.getuid?.() === 0;
    assert.equal(/"--no-sandbox"/.test(browser.args), root, root ? 'as root Chromium refuses its sandbox, so it is turned off' : 'the sandbox stays on');
    const profile = /"--user-data-dir=([^"]+)"/.exec(browser.args)?.[1];
    assert.ok(profile, 'the browser got a profile folder of its own');
    assert.equal(fs.existsSync(profile), false, `the temporary profile ${profile} was deleted`);
    fs.rmSync(dir, { recursive: true, force: true });
  },
);
