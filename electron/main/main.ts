/**
 * The Electron shell, kept thin: lifecycle, the window, and the IPC transport. The core runs
 * in a utility process (core-host.ts), reached through CoreConnection (core-connection.ts);
 * every contract call from the window is checked for its sender and forwarded there. Windows
 * are sandboxed and isolated, navigation and new windows are blocked, and the page carries a
 * strict CSP.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { API_METHODS, ipcChannel, IPC_EVENT_CHANNEL } from '../../shared/api/methods.js';
import { CONTENT_SECURITY_POLICY } from '../../shared/api/security.js';
import { utilityProcessPort } from '../core/front-door.js';
import { CoreConnection } from './core-connection.js';
import { printReportPdf } from './print-pdf.js';
import { osSecret, osSecretsAvailable } from './os-secrets.js';

const appDir = path.dirname(fileURLToPath(import.meta.url)); // dist/app
const rendererIndex = path.join(appDir, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

function dbPathFromArgs(): string {
  const i = process.argv.indexOf('--db');
  return i >= 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]!) : path.join(app.getPath('userData'), 'sightline.db');
}

/** better-sqlite3 built for Electron's ABI lives beside the Node build (npm run rebuild:electron). */
function electronNativeBinding(): string | undefined {
  const p = path.join(appDir, '..', '..', 'build', 'electron-native', 'better_sqlite3.node');
  return fs.existsSync(p) ? p : undefined;
}

let host: UtilityProcess | null = null;
let core: CoreConnection | null = null;
/** Files asked for before the core process was started (argv, open-file at launch). */
const filesBeforeStart: string[] = [];

function startHost(onReady: () => void): void {
  const args = ['--db', dbPathFromArgs(), ...(osSecretsAvailable() ? ['--os-secrets'] : [])];
  host = utilityProcess.fork(path.join(appDir, 'core-host.js'), args, {
    serviceName: 'Sightline core',
    env: { ...process.env, SIGHTLINE_NATIVE_BINDING: electronNativeBinding() ?? '' },
  });
  core = new CoreConnection(utilityProcessPort(host), {
    ready: onReady,
    failed: (message) => dialog.showErrorBox('Sightline could not start', message),
    event: (event) => {
      for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC_EVENT_CHANNEL, event);
    },
    printPdf: printReportPdf,
    secret: osSecret,
    importFailed: (file, message) => dialog.showErrorBox('Sightline could not open a file', `${file}\n\n${message}`),
  });
  core.importFiles(filesBeforeStart.splice(0));
}

/** Imports archive files in the core (File > Open, argv, the OS's open-file event). */
function importFiles(paths: string[]): void {
  if (core) core.importFiles(paths);
  else filesBeforeStart.push(...paths);
}

/** Archive paths given on the command line (the OS file association launches us with them). */
function filesFromArgv(argv: string[]): string[] {
  return argv.slice(1).filter((a) => !a.startsWith('-') && a !== dbPathFromArgs() && !a.endsWith('.js') && fs.existsSync(a) && fs.statSync(a).isFile());
}

function buildMenu(): void {
  const template: Electron.MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Trace Archive…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const r = await dialog.showOpenDialog({ properties: ['openFile', 'multiSelections'], title: 'Open trace archive' });
            if (!r.canceled) importFiles(r.filePaths);
          },
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function registerIpc(): void {
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), (event, request: unknown) => {
      if (event.senderFrame?.url.split('#')[0] !== rendererUrl) throw new Error('refused: not the Sightline window');
      if (!core) throw new Error('the core is not running');
      // A plain Error, so the window reads "Error: <message>" whatever the core's error class was.
      return core.callApi(method, request).catch((e: Error) => {
        throw new Error(e.message);
      });
    });
  }
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Sightline',
    webPreferences: {
      preload: path.join(appDir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  void win.loadFile(rendererIndex);
}

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (e, url) => {
    if (url.split('#')[0] !== rendererUrl) e.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('second-instance', (_e, argv) => {
  BrowserWindow.getAllWindows()[0]?.focus();
  importFiles(filesFromArgv(argv));
});

// macOS: files opened from Finder or dropped on the dock icon, before or after launch.
app.on('open-file', (e, file) => {
  e.preventDefault();
  importFiles([file]);
});

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  registerIpc();
  buildMenu();
  filesBeforeStart.push(...filesFromArgv(process.argv));
  startHost(createWindow);
});

app.on('window-all-closed', () => app.quit());

app.on('will-quit', (e) => {
  if (!host || !core) return;
  e.preventDefault();
  const h = host;
  host = null;
  h.once('exit', () => app.quit());
  core.shutdown(5000).catch(() => h.kill()); // no answer in time (or it died): make sure it is gone
});
