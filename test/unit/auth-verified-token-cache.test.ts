import { describe, expect, it } from 'vitest';
import { generateToken } from '../../src/auth/token-secret.js';
import { createVerifiedTokenCache } from '../../src/auth/verified-token-cache.js';

function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('createVerifiedTokenCache', () => {
  it('hits only for the exact token that was verified', () => {
    const cache = createVerifiedTokenCache();
    const { id, token, secret } = generateToken();
    expect(cache.get(token)).toBeUndefined();
    cache.set(token, id);
    expect(cache.get(token)).toBe(id);
    expect(cache.get(`sg_${id}_${generateToken().secret}`)).toBeUndefined();
    const otherLast = secret.endsWith('A') ? 'B' : 'A';
    expect(cache.get(`sg_${id}_${secret.slice(0, -1)}${otherLast}`)).toBeUndefined();
  });

  it('forgets a verification after the TTL', () => {
    const clock = fakeClock();
    const cache = createVerifiedTokenCache({ ttlMs: 1000, now: clock.now });
    const { id, token } = generateToken();
    cache.set(token, id);
    clock.advance(999);
    expect(cache.get(token)).toBe(id);
    clock.advance(1);
    expect(cache.get(token)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('invalidate(tokenId) forgets that token at once', () => {
    const cache = createVerifiedTokenCache();
    const a = generateToken();
    const b = generateToken();
    cache.set(a.token, a.id);
    cache.set(b.token, b.id);
    cache.invalidate(a.id);
    expect(cache.get(a.token)).toBeUndefined();
    expect(cache.get(b.token)).toBe(b.id);
    cache.invalidate('0000000000000000');
    expect(cache.size).toBe(1);
  });

  it('stays within maxEntries, dropping the least recently used', () => {
    const cache = createVerifiedTokenCache({ maxEntries: 2 });
    const [a, b, c] = [generateToken(), generateToken(), generateToken()];
    cache.set(a.token, a.id);
    cache.set(b.token, b.id);
    expect(cache.get(a.token)).toBe(a.id); // a is now more recent than b
    cache.set(c.token, c.id);
    expect(cache.size).toBe(2);
    expect(cache.get(b.token)).toBeUndefined();
    expect(cache.get(a.token)).toBe(a.id);
    expect(cache.get(c.token)).toBe(c.id);
    // the evicted entry can no longer be invalidated by mistake into another's slot
    cache.invalidate(b.id);
    expect(cache.size).toBe(2);
  });

  it('clear() empties it', () => {
    const cache = createVerifiedTokenCache();
    const a = generateToken();
    cache.set(a.token, a.id);
    cache.clear();
    expect(cache.get(a.token)).toBeUndefined();
  });
});
