import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../src/errors.js';
import {
  createConcurrencyLimiter,
  createRateLimiter,
  defaultRateLimits,
  publishBucket,
  rateLimited,
} from '../../src/auth/rate-limit.js';

function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('createRateLimiter', () => {
  it('lets a burst through, then refuses with the seconds until enough has refilled', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 20, now: clock.now });
    for (let i = 0; i < 20; i++) expect(limiter.take('t')).toEqual({ ok: true });
    expect(limiter.take('t')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('t', 15)).toEqual({ ok: false, retryAfterSeconds: 2 });
    clock.advance(100); // one token back
    expect(limiter.take('t')).toEqual({ ok: true });
    expect(limiter.take('t')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('holds the average rate over time', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 100, burst: 50, now: clock.now });
    let passed = 0;
    for (let ms = 0; ms < 10_000; ms += 5) {
      if (limiter.take('t').ok) passed += 1;
      clock.advance(5);
    }
    // 10 s at 100/s plus the initial burst of 50
    expect(passed).toBeGreaterThanOrEqual(1000);
    expect(passed).toBeLessThanOrEqual(1050);
  });

  it('keeps keys apart', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 1, now: clock.now });
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
    expect(limiter.take('b').ok).toBe(true);
  });

  it('lets a batch larger than the burst pass once from a full bucket, then makes it wait', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 20, now: clock.now });
    expect(limiter.take('t', 50)).toEqual({ ok: true });
    // 30 in debt: 20 must refill before the next one may take anything (3 s for the debt + 0.1 s)
    expect(limiter.take('t')).toEqual({ ok: false, retryAfterSeconds: 4 });
    clock.advance(3000);
    expect(limiter.take('t').ok).toBe(false);
    clock.advance(100);
    expect(limiter.take('t').ok).toBe(true);
  });

  it('applies a per-call rate (per-token limits)', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ ratePerSecond: 1000, burst: 2000, now: clock.now });
    const slow = { ratePerSecond: 1, burst: 2 };
    expect(limiter.take('slow', 2, slow).ok).toBe(true);
    expect(limiter.take('slow', 1, slow)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('fast', 2000).ok).toBe(true);
  });

  it('drops idle buckets once they have refilled, and never holds more than maxKeys', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({
      ratePerSecond: 10,
      burst: 10,
      maxKeys: 100,
      now: clock.now,
    });
    for (let i = 0; i < 50; i++) limiter.take(`k${i}`, 10);
    expect(limiter.size).toBe(50);
    clock.advance(1000); // all refilled: they are the same as no bucket
    limiter.take('fresh');
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 1000; i++) limiter.take(`flood${i}`, 10);
    expect(limiter.size).toBe(100);
  });

  it('publishBucket gives a token two seconds of its rate as burst', () => {
    expect(publishBucket(defaultRateLimits)).toEqual({ ratePerSecond: 1000, burst: 2000 });
  });
});

describe('rateLimited', () => {
  it('is a RATE_LIMITED error carrying retryAfterSeconds', () => {
    const error = rateLimited(3);
    expect(errorCodeOf(error)).toBe('RATE_LIMITED');
    expect(error.extensions['retryAfterSeconds']).toBe(3);
    expect(error.extensions['http']).toEqual({ status: 429 });
    expect(error.message).toContain('retry after 3 s');
  });
});

describe('createConcurrencyLimiter', () => {
  it('holds at most max per key and frees a slot on release', () => {
    const limiter = createConcurrencyLimiter(2);
    const first = limiter.acquire('t');
    const second = limiter.acquire('t');
    expect(first).toBeTypeOf('function');
    expect(second).toBeTypeOf('function');
    expect(limiter.acquire('t')).toBeUndefined();
    expect(limiter.acquire('other')).toBeTypeOf('function');
    first?.();
    expect(limiter.count('t')).toBe(1);
    expect(limiter.acquire('t')).toBeTypeOf('function');
  });

  it('ignores a second release of the same slot', () => {
    const limiter = createConcurrencyLimiter(2);
    const first = limiter.acquire('t');
    limiter.acquire('t');
    first?.();
    first?.();
    expect(limiter.count('t')).toBe(1);
  });

  it('takes a per-call max and forgets keys holding nothing', () => {
    const limiter = createConcurrencyLimiter(100);
    const release = limiter.acquire('t', 1);
    expect(limiter.acquire('t', 1)).toBeUndefined();
    release?.();
    expect(limiter.size).toBe(0);
  });
});
