/**
 * Files and folders named on the command line, checked before a store is opened or made, so
 * a typo leaves nothing behind and the error names the path as it was typed: "no such file:
 * x.json", "permission denied: y.json", never a raw ENOENT or EACCES. A folder given to
 * `import` stands for every file in it, recursively (hidden ones left out), in name order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './cli-error.js';

/** The one-line reason a path could not be used, from an fs error. */
export function fileProblem(e: unknown, shownPath: string, kind: 'file' | 'folder' = 'file'): string {
  const { code, syscall } = e as NodeJS.ErrnoException;
  if (code === 'ENOENT') return `no such ${kind}: ${shownPath}`;
  if (code === 'ENOTDIR' || (code === 'EEXIST' && syscall === 'mkdir')) return `${shownPath} is not a folder, or a part of its path is a file`;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied: ${shownPath}`;
  if (code === 'EISDIR') return `${shownPath} is a folder, not a file`;
  return `cannot use ${shownPath}: ${(e as Error).message}`;
}

function stat(p: string, kind: 'file' | 'folder' = 'file'): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e) {
    throw new CliError(fileProblem(e, p, kind));
  }
}

/** A file the command will read: there, a file, and readable; `folderHint` says what to do with a folder. */
export function readableFile(p: string, folderHint = ''): void {
  if (stat(p).isDirectory()) throw new CliError(`${p} is a folder, not a file${folderHint}`);
  try {
    fs.accessSync(p, fs.constants.R_OK);
  } catch (e) {
    throw new CliError(fileProblem(e, p));
  }
}

/** A folder the command will read. */
export function readableFolder(p: string): void {
  if (!stat(p, 'folder').isDirectory()) throw new CliError(`${p} is not a folder`);
}

/** `p` itself when it is a file; every readable file under it when it is a folder. */
export function filesUnder(p: string): string[] {
  if (!stat(p).isDirectory()) {
    readableFile(p);
    return [p];
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(p, { withFileTypes: true });
  } catch (e) {
    throw new CliError(fileProblem(e, p));
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const child = path.join(p, entry.name);
    // A linked folder is not followed (it could lead back up); a linked file is read, a broken link skipped.
    if (entry.isDirectory()) files.push(...filesUnder(child));
    else if (entry.isFile() || (entry.isSymbolicLink() && fs.existsSync(child) && fs.statSync(child).isFile())) {
      readableFile(child);
      files.push(child);
    }
  }
  return files;
}
