/**
 * Seeded mutators for the fuzz suite: byte-level (bit flips, interesting bytes, cuts,
 * duplicated or spliced ranges, huge varint lengths) and structural for JSON (a random node
 * replaced by a boundary value: int64 edges, 1e308, NaN text, deep nesting, long or broken
 * strings, wrong types). Deterministic for a seed, so a failing case can be replayed.
 */
import { seededRandom } from '../../electron/core/stats/significance.js';

/** The project's seeded PRNG (mulberry32), returning [0, 1). */
export const prng = seededRandom;

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: () => number, max: number): number => Math.floor(random() * max);

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x1a, 0x22, 0x2a];

export function mutateBytes(input: Buffer, random: () => number, others: Buffer[] = []): Buffer {
  let b = Buffer.from(input);
  const rounds = 1 + int(random, 4);
  for (let r = 0; r < rounds && b.length > 0; r++) {
    const at = int(random, b.length);
    switch (int(random, 9)) {
      case 0: // flip bits
        for (let i = 0, n = 1 + int(random, 8); i < n; i++) b[int(random, b.length)]! ^= 1 << int(random, 8);
        break;
      case 1: // interesting byte
        b[at] = pick(random, INTERESTING_BYTES);
        break;
      case 2: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(random, 64)))]);
        break;
      case 3: {
        // duplicate a range
        const len = 1 + int(random, Math.min(256, b.length - at));
        b = Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
        break;
      }
      case 4: // insert random bytes
        b = Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(random, 16) }, () => int(random, 256))), b.subarray(at)]);
        break;
      case 5: // truncate
        b = b.subarray(0, at);
        break;
      case 6: {
        // splice with another seed
        const other = others.length ? pick(random, others) : input;
        b = Buffer.concat([b.subarray(0, at), other.subarray(int(random, other.length))]);
        break;
      }
      case 7: // a huge varint where a length may be
        b = Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), b.subarray(at + 1)]);
        break;
      default: // a run of one byte
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(1 + int(random, 4096), pick(random, INTERESTING_BYTES)), b.subarray(at)]);
    }
  }
  return b;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function deep(levels: number, random: () => number): Json {
  let v: Json = 'bottom';
  for (let i = 0; i < levels; i++) v = random() < 0.5 ? [v] : { kvlistValue: { values: [{ key: 'k', value: v }] } };
  return v;
}

function boundaryValue(random: () => number): Json {
  return pick(random, [
    () => null,
    () => true,
    () => -1,
    () => 0,
    () => 2 ** 63,
    () => 1e30,
    () => -1e308,
    () => 1e308,
    () => '9223372036854775808',
    () => '-9223372036854775809',
    () => '18446744073709551615',
    () => 'NaN',
    () => 'Infinity',
    () => '',
    () => 'x'.repeat(1 + int(random, 100_000)),
    () => '\u0000\ud800\udfff\u2028"\\',
    () => 'zz'.repeat(8),
    () => 'AAAA',
    () => [],
    () => ({}),
    () => deep(1 + int(random, 60), random),
    () => Array.from({ length: 1 + int(random, 2000) }, (_, i) => i),
    () => ({ stringValue: 42 }),
    () => ({ intValue: '12.5' }),
    () => ({ doubleValue: 'abc' }),
    () => ({ bytesValue: '%%%' }),
  ])();
}

/** Every [container, key] pair of a parsed JSON tree (iteratively). */
function slots(root: Json): [Json[] | { [k: string]: Json }, string | number][] {
  const out: [Json[] | { [k: string]: Json }, string | number][] = [];
  const stack: Json[] = [root];
  while (stack.length) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      v.forEach((c, i) => {
        out.push([v, i]);
        stack.push(c);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) {
        out.push([v, k]);
        stack.push(c);
      }
    }
  }
  return out;
}

export function mutateJson(input: Buffer, random: () => number): Buffer {
  let root: Json;
  try {
    root = JSON.parse(input.toString('utf8')) as Json;
  } catch {
    return mutateBytes(input, random);
  }
  const rounds = 1 + int(random, 3);
  for (let r = 0; r < rounds; r++) {
    const all = slots(root);
    if (all.length === 0) break;
    const [container, key] = pick(random, all);
    const op = int(random, 4);
    if (op === 0 && !Array.isArray(container)) delete container[key as string];
    else if (op === 1 && Array.isArray(container))
      container.splice(key as number, 0, ...Array.from({ length: 1 + int(random, 50) }, () => container[key as number]!));
    else if (op === 2 && !Array.isArray(container)) {
      const snake = (key as string).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      container[snake] = boundaryValue(random);
    } else (container as Record<string | number, Json>)[key] = boundaryValue(random);
  }
  const text = Buffer.from(JSON.stringify(root));
  return random() < 0.15 ? mutateBytes(text, random) : text;
}
