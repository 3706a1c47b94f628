import { throttleKeyOf } from './client-address.js';
import type { TakeResult } from './rate-limit.js';

export interface AuthThrottleOptions {
  /** Failed authentications from one address within `windowMs` before it is blocked. @default 10 */
  readonly maxFailures?: number;
  /** The counting window. @default 60_000 */
  readonly windowMs?: number;
  /** How long a blocked address is refused. @default 60_000 */
  readonly blockMs?: number;
  /** Addresses tracked at most; the least recently failing goes first. @default 10_000 */
  readonly maxAddresses?: number;
  /** The clock in milliseconds, injectable for tests. @default Date.now */
  readonly now?: () => number;
}

/**
 * Slows down token guessing: after too many failed authentications from one client address
 * (IPv6 counted per /64, see `throttleKeyOf`), that address is refused for a while before any
 * hash is computed, so guessing also cannot make the gateway burn CPU on scrypt.
 * Successes do not reset the count: otherwise one valid token would launder any number of guesses.
 */
export interface AuthThrottle {
  /** Call before verifying anything: `ok: false` while the address is blocked. */
  check(address: string | undefined): TakeResult;
  recordFailure(address: string | undefined): void;
  /** Addresses tracked now. */
  readonly size: number;
}

const defaults = {
  maxFailures: 10,
  windowMs: 60_000,
  blockMs: 60_000,
  maxAddresses: 10_000,
  now: Date.now,
} as const;

interface Entry {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

export function createAuthThrottle(options: AuthThrottleOptions = {}): AuthThrottle {
  const { maxFailures, windowMs, blockMs, maxAddresses, now } = { ...defaults, ...options };
  // Least recently failing first (re-inserted on each failure).
  const entries = new Map<string, Entry>();

  const forgettable = (entry: Entry, at: number) =>
    at >= entry.blockedUntil && at - entry.windowStart >= windowMs;

  function sweep(at: number): void {
    for (const [key, entry] of entries) {
      if (!forgettable(entry, at) && entries.size <= maxAddresses) break;
      entries.delete(key);
    }
  }

  return {
    check(address) {
      const entry = entries.get(throttleKeyOf(address));
      const at = now();
      if (!entry || entry.blockedUntil <= at) return { ok: true };
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((entry.blockedUntil - at) / 1000)),
      };
    },
    recordFailure(address) {
      const key = throttleKeyOf(address);
      const at = now();
      let entry = entries.get(key);
      entries.delete(key);
      if (!entry || at - entry.windowStart >= windowMs) {
        entry = { windowStart: at, failures: 0, blockedUntil: entry?.blockedUntil ?? 0 };
      }
      entry.failures += 1;
      if (entry.failures >= maxFailures) {
        entry.blockedUntil = at + blockMs;
        // A fresh window after the block, so one more failure does not block again at once.
        entry.windowStart = entry.blockedUntil;
        entry.failures = 0;
      }
      entries.set(key, entry);
      sweep(at);
    },
    get size() {
      return entries.size;
    },
  };
}
