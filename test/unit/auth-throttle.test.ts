import { describe, expect, it } from 'vitest';
import { createAuthThrottle } from '../../src/auth/auth-throttle.js';
import { throttleKeyOf } from '../../src/auth/client-address.js';

function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('createAuthThrottle', () => {
  it('blocks an address after maxFailures within the window, for blockMs', () => {
    const clock = fakeClock();
    const throttle = createAuthThrottle({
      maxFailures: 10,
      windowMs: 60_000,
      blockMs: 30_000,
      now: clock.now,
    });
    for (let i = 0; i < 9; i++) {
      throttle.recordFailure('10.0.0.1');
      clock.advance(1000);
    }
    expect(throttle.check('10.0.0.1')).toEqual({ ok: true });
    throttle.recordFailure('10.0.0.1');
    expect(throttle.check('10.0.0.1')).toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(throttle.check('10.0.0.2')).toEqual({ ok: true });
    clock.advance(29_500);
    expect(throttle.check('10.0.0.1')).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(500);
    expect(throttle.check('10.0.0.1')).toEqual({ ok: true });
  });

  it('does not block failures spread wider than the window', () => {
    const clock = fakeClock();
    const throttle = createAuthThrottle({ maxFailures: 3, windowMs: 60_000, now: clock.now });
    for (let i = 0; i < 20; i++) {
      throttle.recordFailure('10.0.0.1');
      clock.advance(30_001);
    }
    expect(throttle.check('10.0.0.1').ok).toBe(true);
  });

  it('counts a whole IPv6 /64 and IPv4-mapped addresses as one client', () => {
    const throttle = createAuthThrottle({ maxFailures: 2 });
    throttle.recordFailure('2001:db8:1:2::1');
    throttle.recordFailure('2001:db8:1:2:ffff::9');
    expect(throttle.check('2001:db8:1:2::77').ok).toBe(false);
    expect(throttle.check('2001:db8:1:3::1').ok).toBe(true);
    throttle.recordFailure('::ffff:192.0.2.7');
    throttle.recordFailure('192.0.2.7');
    expect(throttle.check('192.0.2.7').ok).toBe(false);
  });

  it('forgets quiet addresses and never tracks more than maxAddresses', () => {
    const clock = fakeClock();
    const throttle = createAuthThrottle({
      maxAddresses: 100,
      windowMs: 1000,
      blockMs: 1000,
      now: clock.now,
    });
    for (let i = 0; i < 50; i++) throttle.recordFailure(`10.0.0.${i}`);
    expect(throttle.size).toBe(50);
    clock.advance(1000);
    throttle.recordFailure('10.0.1.1');
    expect(throttle.size).toBe(1);
    for (let i = 0; i < 1000; i++) throttle.recordFailure(`10.1.${i >> 8}.${i & 255}`);
    expect(throttle.size).toBe(100);
  });
});

describe('throttleKeyOf', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::ffff:c000:207', '192.0.2.7'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:DB8:0:0:1:2:3:4', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4::/64'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
    [undefined, 'unknown'],
    ['unix-socket', 'unix-socket'],
  ])('%s → %s', (address, key) => {
    expect(throttleKeyOf(address)).toBe(key);
  });
});
