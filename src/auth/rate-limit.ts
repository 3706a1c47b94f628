import type { GraphQLError } from 'graphql';
import { gatewayError } from '../errors.js';

/** The limits of one token; stored with its record. */
export interface RateLimits {
  /**
   * Events per second the token may publish on average; bursts of up to
   * `PUBLISH_BURST_SECONDS` seconds' worth pass at once. @default 1000
   */
  readonly publishPerSecond: number;
  /** Subscriptions the token may hold open at once on one gateway instance. @default 100 */
  readonly maxSubscriptions: number;
}

export const defaultRateLimits: RateLimits = Object.freeze({
  publishPerSecond: 1000,
  maxSubscriptions: 100,
});

/** A token's publish burst is this many seconds of its rate (1000/s → burst 2000). */
export const PUBLISH_BURST_SECONDS = 2;

/** The publish bucket of a token's limits. */
export function publishBucket(limits: RateLimits): BucketRate {
  return {
    ratePerSecond: limits.publishPerSecond,
    burst: limits.publishPerSecond * PUBLISH_BURST_SECONDS,
  };
}

/** The client-facing error: `RATE_LIMITED` with `extensions.retryAfterSeconds`. */
export function rateLimited(retryAfterSeconds: number, what = 'Rate limit exceeded'): GraphQLError {
  return gatewayError('RATE_LIMITED', `${what}; retry after ${retryAfterSeconds} s`, {
    retryAfterSeconds,
  });
}

export interface BucketRate {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Bucket size: how many may be taken at once after a quiet spell. */
  readonly burst: number;
}

export interface RateLimiterOptions extends BucketRate {
  /**
   * Buckets kept at most. Idle buckets that have refilled are dropped first (a full bucket is
   * the same as no bucket); past this, the least recently used goes. @default 100_000
   */
  readonly maxKeys?: number;
  /** The clock in milliseconds, injectable for tests. @default Date.now */
  readonly now?: () => number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /**
   * Takes `n` from the key's bucket. A request larger than the burst passes when the bucket is
   * full and leaves it in debt, so big batches are possible but the average rate still holds.
   * `rate` overrides the limiter's rate for this key (per-token limits).
   */
  take(key: string, n?: number, rate?: BucketRate): TakeResult;
  /** Buckets held now (for tests and metrics). */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** When the bucket will be full again; past this it can be dropped. */
  fullAt: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { maxKeys = 100_000, now = Date.now } = options;
  const buckets = new Map<string, Bucket>();

  function sweep(at: number): void {
    // Buckets are in least-recently-used order; stop at the first one still refilling.
    for (const [key, bucket] of buckets) {
      if (bucket.fullAt > at && buckets.size <= maxKeys) break;
      buckets.delete(key);
    }
  }

  return {
    take(key, n = 1, rate = options) {
      const { ratePerSecond, burst } = rate;
      const at = now();
      const bucket = buckets.get(key);
      let tokens = burst;
      if (bucket) {
        buckets.delete(key);
        const refill = ((at - bucket.updatedAt) / 1000) * ratePerSecond;
        tokens = Math.min(burst, bucket.tokens + Math.max(0, refill));
      }
      const needed = Math.min(n, burst);
      let result: TakeResult;
      if (tokens >= needed) {
        tokens -= n;
        result = { ok: true };
      } else {
        result = {
          ok: false,
          retryAfterSeconds: Math.max(1, Math.ceil((needed - tokens) / ratePerSecond)),
        };
      }
      const fullAt = at + (Math.max(0, burst - tokens) / ratePerSecond) * 1000;
      buckets.set(key, { tokens, updatedAt: at, fullAt });
      sweep(at);
      return result;
    },
    get size() {
      return buckets.size;
    },
  };
}

export interface ConcurrencyLimiter {
  /**
   * Takes a slot for `key` if fewer than `max` are held; returns its release function
   * (idempotent, so a double release cannot free someone else's slot), or undefined when full.
   */
  acquire(key: string, max?: number): (() => void) | undefined;
  /** Slots held by `key` now. */
  count(key: string): number;
  /** Keys holding a slot (idle keys take no memory). */
  readonly size: number;
}

/** Counts concurrent holders per key (open subscriptions per token). */
export function createConcurrencyLimiter(max: number): ConcurrencyLimiter {
  const held = new Map<string, number>();
  return {
    acquire(key, limit = max) {
      const current = held.get(key) ?? 0;
      if (current >= limit) return undefined;
      held.set(key, current + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (held.get(key) ?? 1) - 1;
        if (left <= 0) held.delete(key);
        else held.set(key, left);
      };
    },
    count(key) {
      return held.get(key) ?? 0;
    },
    get size() {
      return held.size;
    },
  };
}
