/**
 * Runs the built `sightline serve` as a child process on ephemeral ports, as a user would,
 * and reads the ports from the JSON line it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(ROOT, 'dist', 'app', 'cli.js');

export interface ServeProcess {
  ports: { otlpHttp: number; otlpGrpc: number; ui: number };
  proc: ChildProcess;
  stderr: () => string;
  stop: () => Promise<void>;
}

export function tempDir(prefix = 'sightline-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startServe(dbPath: string, extraArgs: string[] = []): Promise<ServeProcess> {
  if (!fs.existsSync(CLI)) throw new Error('dist/app/cli.js is missing: run `npm run build` first');
  // SIGHTLINE_SERVE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" profiles the server under a benchmark.
  const nodeArgs = (process.env['SIGHTLINE_SERVE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const proc = spawn(
    process.execPath,
    [...nodeArgs, CLI, 'serve', '--db', dbPath, '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--port', '0', ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`serve did not start in 20 s: ${stderr}`)), 20_000).unref();
  });
  const ports = JSON.parse(line) as ServeProcess['ports'];
  return {
    ports,
    proc,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** Calls a contract method over the UI server's HTTP API; an error (with the server's text) unless it answers 200. */
export async function apiResult<T>(serve: ServeProcess, method: string, body: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { result: T }).result;
}

/** Runs the built CLI and returns its exit code, stdout and stderr. */
/** `env`: variables added to this process's environment for the run. */
/** `sightline ARGS`; `watch`, when given, is called with the process ID every 20 ms while it runs (benches sample its memory). */
export function runCli(args: string[], env?: Record<string, string>, watch?: (pid: number) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    let stdout = '';
    let stderr = '';
    const poll = watch && p.pid !== undefined ? setInterval(() => watch(p.pid!), 20) : undefined;
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export async function cliJson<T>(args: string[]): Promise<T> {
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(`sightline ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
