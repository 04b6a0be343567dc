/** Small pieces the ingest benchmarks share: percentiles, a process's memory, a protobuf POST. */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import { runCli } from '../helpers/serve-process.js';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
}

/** The process's peak resident memory so far, MB. */
export const peakRssMb = (pid: number): number => statusField(pid, 'VmHWM');
/** The process's resident memory now, MB. */
export const rssMb = (pid: number): number => statusField(pid, 'VmRSS');

/**
 * `sightline ARGS` with the process's peak resident memory (MiB, from /proc: the high-water mark
 * read every 20 ms while it runs, so at worst its last 20 ms are missed).
 */
export async function runCliWithPeak(args: string[]): Promise<{ code: number; stdout: string; stderr: string; peakRssMb: number }> {
  let peak = 0;
  const r = await runCli(args, undefined, (pid) => {
    try {
      peak = Math.max(peak, peakRssMb(pid));
    } catch {
      // exited between two reads
    }
  });
  return { ...r, peakRssMb: Math.round(peak) };
}

/** CPU seconds (user + system) used so far by each thread of a process, by thread ID (Linux /proc; empty elsewhere). */
export function threadCpuSeconds(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      // Fields after the parenthesised name: utime and stime are the 12th and 13th, in clock ticks (100 per second on Linux).
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** Each thread's CPU seconds between two threadCpuSeconds readings, busiest first. */
export function threadCpuBetween(before: Map<number, number>, after: Map<number, number>): number[] {
  return [...after].map(([tid, s]) => s - (before.get(tid) ?? 0)).sort((a, b) => b - a);
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/** POSTs an OTLP protobuf body to /v1/traces; resolves with the status and the Retry-After header. */
export function postTraces(agent: http.Agent, port: number, body: Buffer): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
