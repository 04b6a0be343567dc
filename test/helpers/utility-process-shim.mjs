// Runs dist/app/core-host.js (the core of Electron's utility process) in a plain Node child
// process: Electron gives that process `process.parentPort`; here it is made from the fork's
// IPC channel, so a test can play the Electron main process. Start with
// fork(shim, args, { serialization: 'advanced' }) so byte arrays cross as they do in Electron.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
process.parentPort = {
  on: (_event, listener) => process.on('message', (data) => listener({ data })),
  postMessage: (message) => process.send(message),
};
await import(pathToFileURL(path.join(root, 'dist', 'app', 'core-host.js')).href);
