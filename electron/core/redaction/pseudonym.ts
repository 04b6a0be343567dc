/**
 * Pseudonyms for rules with action `pseudonymise`: `<label>:` and the first 12 hex digits of
 * HMAC-SHA-256(store secret, value). Keyed by a secret kept per store (pseudonym-key.ts), so
 * equal values get equal pseudonyms in that store, distinct values distinct ones (a collision
 * needs about 2^24 distinct values), and nobody without the key can test a guess such as an
 * IP address against them. Recent results are cached: peers and user IDs repeat.
 */
import crypto from 'node:crypto';
import { ownString } from '../util/own-string.js';

const HEX_DIGITS = 12;
const CACHE_ENTRIES = 50_000;

export class Pseudonymiser {
  private secret: Buffer | null = null;
  private cache = new Map<string, string>();

  /** `secret` is called once, on the first pseudonym (the key file is made on first use). */
  constructor(private readonly loadSecret: () => Buffer) {}

  of(label: string, value: string): string {
    const cacheKey = label + '\u0000' + value;
    let p = this.cache.get(cacheKey);
    if (p === undefined) {
      this.secret ??= this.loadSecret();
      p = `${label}:${crypto.createHmac('sha256', this.secret).update(value).digest('hex').slice(0, HEX_DIGITS)}`;
      if (this.cache.size >= CACHE_ENTRIES) this.cache = new Map();
      this.cache.set(ownString(cacheKey), p); // the value may be a slice of a batch's joined text
    }
    return p;
  }

  /** True when `value` already is a pseudonym with this label (export re-applies the rules to stored data). */
  static isPseudonym(label: string, value: string): boolean {
    return value.length === label.length + 1 + HEX_DIGITS && value.startsWith(label + ':') && /^[0-9a-f]+$/.test(value.slice(label.length + 1));
  }
}

/** A secret for this process only: for stores without a folder (in memory) and callers that give none. */
export function ephemeralSecret(): Buffer {
  return EPHEMERAL;
}

const EPHEMERAL = crypto.randomBytes(32);
