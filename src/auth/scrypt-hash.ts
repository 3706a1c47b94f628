import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The scrypt secret hash that tokens used to be stored with: `$scrypt$ln=14,r=8,p=1$<salt>$<key>`.
 * New tokens no longer use it (see `secret-hash.ts`), but records in existing registries do, and
 * they must keep verifying: a stored token never stops working because the gateway was upgraded.
 */

/** Cost parameters of a scrypt hash (RFC 7914). */
export interface ScryptParams {
  /**
   * log2 of the CPU/memory cost N.
   * @default 14 (N = 16384, 16 MiB; 40-60 ms per hash, measured on 2 shared cores)
   */
  readonly logN?: number;
  /** Block size. @default 8 */
  readonly r?: number;
  /** Parallelisation. @default 1 */
  readonly p?: number;
}

const defaultScryptParams = { logN: 14, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** A stored hash naming a larger cost than these is refused rather than computed (DoS guard). */
const MAX_LOG_N = 20;
const MAX_PARALLEL = 16;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const SCRYPT_HASH =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export const SCRYPT_PREFIX = '$scrypt$';

function scryptAsync(secret: string, salt: Buffer, logN: number, r: number, p: number) {
  const N = 2 ** logN;
  return new Promise<Buffer>((resolve, reject) => {
    // scrypt needs about 128·N·r bytes; Node refuses above `maxmem` (32 MiB by default).
    scrypt(secret, salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * A scrypt hash in the stored format. The gateway no longer makes these for new tokens; tests
 * use it to write the records an older registry holds. Runs on the libuv thread pool.
 */
export async function hashScrypt(secret: string, params: ScryptParams = {}): Promise<string> {
  const { logN, r, p } = { ...defaultScryptParams, ...params };
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(secret, salt, logN, r, p);
  return `${SCRYPT_PREFIX}ln=${logN},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `secret` hashes to the scrypt `hash`; false for any other secret or a malformed hash. */
export async function verifyScrypt(secret: string, hash: string): Promise<boolean> {
  const match = SCRYPT_HASH.exec(hash);
  if (!match) return false;
  const logN = Number(match[1]);
  const r = Number(match[2]);
  const p = Number(match[3]);
  if (logN < 1 || logN > MAX_LOG_N || r < 1 || p < 1 || p > MAX_PARALLEL) return false;
  if (128 * 2 ** logN * r > MAX_MEMORY_BYTES) return false;
  const expected = Buffer.from(match[5] ?? '', 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const actual = await scryptAsync(secret, Buffer.from(match[4] ?? '', 'base64url'), logN, r, p);
  return timingSafeEqual(actual, expected);
}
