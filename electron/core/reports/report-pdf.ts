/**
 * Prints a report's HTML to PDF with a local Chromium through playwright-core (the CLI and
 * browser mode; the desktop app prints with Electron's own printToPDF). Nothing leaves the
 * machine: the HTML has no external asset, every request but data: URLs is aborted, and the
 * browser runs with the switches of offline-chromium.ts in a fresh profile that is deleted
 * afterwards. It is sandboxed unless Chromium refuses that (root on Linux).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumSandboxAllowed, offlineChromiumArgs } from './offline-chromium.js';

/**
 * The headless shell (Chromium's "old headless", Debian's chromium-headless-shell) comes first:
 * it has no profile services, so it makes no request at all. A full Chromium or Chrome, even
 * with every switch of offline-chromium.ts, still starts a Google-accounts request of its own;
 * it dies inside the browser (no DNS, no TCP), but the host resolver probes IPv6 reachability
 * first, with a UDP socket connected (no datagram sent) to a public address.
 */
const HEADLESS_SHELLS = ['/usr/bin/chromium-headless-shell', '/usr/lib/chromium/chromium-headless-shell'];
const BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

/**
 * Turns a report's HTML into PDF bytes. The core's default is `htmlToPdf` (a local Chromium);
 * the desktop app passes one that prints with Electron's own `printToPDF` (electron/main).
 */
export type PdfPrinter = (html: string) => Promise<Buffer>;

export class PdfError extends Error {
  override name = 'PdfError';
}

export function findChromium(): string {
  const list = [process.env['CHROMIUM_PATH'], ...HEADLESS_SHELLS, ...BROWSERS].filter((p): p is string => !!p);
  const found = list.find((p) => fs.existsSync(p));
  if (!found)
    throw new PdfError(
      `no Chromium found to print the PDF (tried ${list.join(', ')}); install chromium-headless-shell, Chromium or Chrome, or set CHROMIUM_PATH; HTML reports need no browser`,
    );
  return found;
}

export async function htmlToPdf(html: string): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const sandbox = chromiumSandboxAllowed();
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-pdf-'));
  try {
    let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>>;
    try {
      context = await chromium.launchPersistentContext(profileDir, {
        executablePath: findChromium(),
        headless: true,
        chromiumSandbox: sandbox,
        offline: true,
        serviceWorkers: 'block',
        acceptDownloads: false,
        args: offlineChromiumArgs(),
      });
    } catch (e) {
      const message = (e as Error).message;
      if (sandbox && /sandbox/i.test(message))
        throw new PdfError(`Chromium could not start its sandbox, so the PDF was not printed (HTML reports need no browser): ${message.split('\n')[0]}`);
      throw e;
    }
    try {
      await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      const page = context.pages()[0] ?? (await context.newPage());
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
    } finally {
      await context.close();
    }
  } finally {
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}
