/**
 * Reads an `strace -f -e trace=connect,sendto,sendmsg,execve` log: which socket addresses a
 * process tree connected or sent to, and which programs it started with which arguments. Used
 * to prove that something stays on this machine without trusting its own logs.
 */
import { execFileSync } from 'node:child_process';

export interface SocketUse {
  /** connect, sendto or sendmsg */
  call: string;
  family: 'AF_INET' | 'AF_INET6' | 'AF_UNIX';
  address: string;
  port: number | null;
  line: string;
}

export function straceAvailable(): boolean {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const INET = /sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([\d.]+)"\)/;
const INET6 = /sa_family=AF_INET6, sin6_port=htons\((\d+)\),.*?inet_pton\(AF_INET6, "([^"]+)"/;
const UNIX = /sa_family=AF_UNIX, sun_path=@?"([^"]*)"/;
const CALL = /^\s*(?:\[pid\s+)?\d*\]?\s*(connect|sendto|sendmsg)\(/;

export function socketUses(log: string): SocketUse[] {
  const uses: SocketUse[] = [];
  for (const line of log.split('\n')) {
    const call = CALL.exec(line)?.[1];
    if (!call) continue;
    const inet = INET.exec(line);
    const inet6 = INET6.exec(line);
    const unix = UNIX.exec(line);
    if (inet) uses.push({ call, family: 'AF_INET', address: inet[2]!, port: Number(inet[1]), line });
    else if (inet6) uses.push({ call, family: 'AF_INET6', address: inet6[2]!, port: Number(inet6[1]), line });
    else if (unix) uses.push({ call, family: 'AF_UNIX', address: unix[1]!, port: null, line });
  }
  return uses;
}

export function isLoopback(use: SocketUse): boolean {
  if (use.family === 'AF_INET') return use.address.startsWith('127.');
  if (use.family === 'AF_INET6') return use.address === '::1' || /^::ffff:127\./i.test(use.address);
  return true;
}

/** Name lookups: port 53 anywhere, or the local resolver daemons' sockets (nscd, systemd-resolved). */
export function isNameLookup(use: SocketUse): boolean {
  if (use.port === 53) return true;
  return use.family === 'AF_UNIX' && /nscd|systemd\/resolve/.test(use.address);
}

/** The argument lists of every program started (execve), as strace printed them. */
export function startedPrograms(log: string): { program: string; args: string }[] {
  const out: { program: string; args: string }[] = [];
  for (const m of log.matchAll(/execve\("([^"]+)", \[(.*?)\](?:, 0x[0-9a-f]+| \/\*)/g)) out.push({ program: m[1]!, args: m[2]! });
  return out;
}
