/**
 * Prints a report's HTML to PDF with a local Chromium through playwright-core (the CLI and
 * browser mode; the desktop app prints with Electron's own printToPDF). No network: the HTML
 * has no external asset, and the browser is started with networking features off.
 */
import fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'];

/**
 * Turns a report's HTML into PDF bytes. The core's default is `htmlToPdf` (a local Chromium);
 * the desktop app passes one that prints with Electron's own `printToPDF` (electron/main).
 */
export type PdfPrinter = (html: string) => Promise<Buffer>;

export class PdfError extends Error {
  override name = 'PdfError';
}

export function findChromium(): string {
  const list = [process.env['CHROMIUM_PATH'], ...CANDIDATES].filter((p): p is string => !!p);
  const found = list.find((p) => fs.existsSync(p));
  if (!found) throw new PdfError(`no Chromium found to print the PDF (tried ${list.join(', ')}); install Chromium or Chrome, or set CHROMIUM_PATH; HTML reports need no browser`);
  return found;
}

export async function htmlToPdf(html: string): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser.close();
  }
}
