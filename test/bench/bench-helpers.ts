/** Small pieces the ingest benchmarks share: percentiles, a process's memory, a protobuf POST. */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';

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
