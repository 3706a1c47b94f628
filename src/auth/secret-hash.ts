import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SCRYPT_PREFIX, verifyScrypt } from './scrypt-hash.js';

/**
 * How a token's secret is stored: `$sha256$<digest, base64url>`.
 *
 * The secret is 32 random bytes (256 bits). A slow password hash (scrypt) protects low-entropy
 * secrets from offline guessing; against 2^256 possibilities it adds nothing, and it made every
 * first verification cost ~50 ms, so a throttle had to refuse before hashing — and before hashing,
 * a guess and a valid new token look alike. A SHA-256 digest is what API-key systems store for
 * such secrets: it cannot be reversed, and checking it costs microseconds, so the gateway can
 * check every token, whatever address it comes from.
 *
 * Records written by older versions hold a scrypt hash (`scrypt-hash.ts`); they keep verifying.
 */
const SHA256_PREFIX = '$sha256$';
const SHA256_HASH = /^\$sha256\$([A-Za-z0-9_-]{43})$/;

/** SHA-256 of a string: fixed length, so `timingSafeEqual` applies to strings of any length. */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The stored hash of a new token's secret. No salt: each secret is unique and random already. */
export function hashSecret(secret: string): string {
  return `${SHA256_PREFIX}${sha256(secret).toString('base64url')}`;
}

/** The stored hash formats a token record may hold: new tokens' and older registries'. */
export function isSecretHash(hash: string): boolean {
  return SHA256_HASH.test(hash) || hash.startsWith(SCRYPT_PREFIX);
}

/**
 * True when verifying against `hash` costs microseconds, so it may run for every request, even
 * from a client address the failed-authentication throttle blocks. False for legacy scrypt.
 */
export function isFastHash(hash: string): boolean {
  return !hash.startsWith(SCRYPT_PREFIX);
}

/**
 * A well-formed hash that no secret matches (random digest): what a secret is verified against
 * when its token id is unknown, so that the failure costs what a wrong secret for a new token does.
 */
export function unknownTokenHash(): string {
  return `${SHA256_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** True when `secret` matches the stored `hash` of either format; false for a malformed hash. */
export async function verifySecret(secret: string, hash: string): Promise<boolean> {
  if (hash.startsWith(SCRYPT_PREFIX)) return verifyScrypt(secret, hash);
  const match = SHA256_HASH.exec(hash);
  if (!match) return false;
  return timingSafeEqual(sha256(secret), Buffer.from(match[1] ?? '', 'base64url'));
}
