/**
 * Prints a report's HTML to PDF with Electron's own Chromium (webContents.printToPDF), for the
 * core's report worker, so the desktop app needs no separate browser. The page is loaded from a
 * temporary file into a hidden window that is sandboxed, runs no JavaScript, and lives in an
 * in-memory session that refuses every request except that file: a report has no script and
 * needs nothing from outside, so nothing can leave the machine while it prints.
 */
import { BrowserWindow, session } from 'electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A4 with the margins the Chromium route uses (14 mm top and bottom, 12 mm sides), in inches. */
const MARGINS_INCHES = { top: 14 / 25.4, bottom: 14 / 25.4, left: 12 / 25.4, right: 12 / 25.4 };

export async function printReportPdf(html: string): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-print-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html, { mode: 0o600 });
  const fileUrl = pathToFileURL(file).href;
  const printSession = session.fromPartition('sightline-print'); // no "persist:": memory only
  printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== fileUrl && !details.url.startsWith('data:') }));
  printSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      session: printSession,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  try {
    await win.loadFile(file);
    const pdf = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true, margins: MARGINS_INCHES });
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    win.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
