import { sha256 } from './secret-hash.js';

export interface VerifiedTokenCacheOptions {
  /** Entries kept at most; the least recently used goes first. @default 10_000 */
  readonly maxEntries?: number;
  /** How long one successful verification is trusted. @default 300_000 (5 minutes) */
  readonly ttlMs?: number;
  /** The clock, injectable for tests. @default Date.now */
  readonly now?: () => number;
}

/**
 * Remembers tokens whose secret was verified, so repeated requests of a token stored with a
 * legacy scrypt hash skip scrypt (40-60 ms each; a hit costs ~5 µs). For tokens stored with
 * SHA-256 a hit costs about what verifying does.
 * Keys are SHA-256 digests of the full token: the cache never holds a usable token, and since
 * a lookup can only hit for the exact verified token, a wrong secret never matches.
 * It caches the proof of possession only: callers still check the token's record (revoked,
 * expired) on every request, and call `invalidate` on revocation so nothing outlives it.
 */
export interface VerifiedTokenCache {
  /** The token id when this exact token was verified within the TTL. */
  get(token: string): string | undefined;
  set(token: string, tokenId: string): void;
  /** Forgets the verification of that token id (on revocation or expiry). */
  invalidate(tokenId: string): void;
  clear(): void;
  readonly size: number;
}

const defaults = { maxEntries: 10_000, ttlMs: 300_000, now: Date.now } as const;

interface Entry {
  readonly tokenId: string;
  readonly expiresAt: number;
}

export function createVerifiedTokenCache(
  options: VerifiedTokenCacheOptions = {},
): VerifiedTokenCache {
  const { maxEntries, ttlMs, now } = { ...defaults, ...options };
  // Map iteration order is insertion order: re-inserting on use makes the first key the LRU one.
  const entries = new Map<string, Entry>();
  const keyOfTokenId = new Map<string, string>();

  function remove(key: string, entry: Entry): void {
    entries.delete(key);
    if (keyOfTokenId.get(entry.tokenId) === key) keyOfTokenId.delete(entry.tokenId);
  }

  return {
    get(token) {
      const key = sha256(token).toString('base64');
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        remove(key, entry);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      return entry.tokenId;
    },
    set(token, tokenId) {
      const key = sha256(token).toString('base64');
      const previous = keyOfTokenId.get(tokenId);
      if (previous !== undefined) entries.delete(previous);
      entries.delete(key);
      entries.set(key, { tokenId, expiresAt: now() + ttlMs });
      keyOfTokenId.set(tokenId, key);
      while (entries.size > maxEntries) {
        const oldest = entries.entries().next().value;
        if (!oldest) break;
        remove(oldest[0], oldest[1]);
      }
    },
    invalidate(tokenId) {
      const key = keyOfTokenId.get(tokenId);
      if (key === undefined) return;
      entries.delete(key);
      keyOfTokenId.delete(tokenId);
    },
    clear() {
      entries.clear();
      keyOfTokenId.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
