import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Token wire format: `sg_<id>_<secret>`. The id (16 hex chars) is public and only used to find
 * the token's record; the secret (32 random bytes, base64url) is what proves possession. Only a
 * scrypt hash of the secret is ever stored.
 */
const TOKEN_PATTERN = /^sg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const ID_BYTES = 8;
const SECRET_BYTES = 32;

/** Cost parameters of the stored secret hash (scrypt, RFC 7914). */
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
const HASH_PATTERN =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export interface GeneratedToken {
  /** The public lookup id. */
  readonly id: string;
  /** The full token, shown to the user once. */
  readonly token: string;
  /** The secret part, to hash with `hashSecret`. */
  readonly secret: string;
}

export function generateToken(): GeneratedToken {
  const id = randomBytes(ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { id, secret, token: `sg_${id}_${secret}` };
}

/**
 * Splits a token into id and secret; undefined when it is not of our format. A leading
 * `Bearer ` scheme is tolerated so the raw header value can be passed.
 */
export function parseToken(bearer: string): { id: string; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(bearerToken(bearer) ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  return { id: match[1], secret: match[2] };
}

/**
 * The credentials of an `Authorization` header value (or of graphql-ws `connectionParams
 * .authorization`): the part after the `Bearer` scheme, or the whole value when it has no scheme.
 * Undefined when empty or another scheme.
 */
export function bearerToken(authorization: string | undefined | null): string | undefined {
  if (!authorization) return undefined;
  const value = authorization.trim();
  const space = value.indexOf(' ');
  // A scheme with no credentials is no token (and surely not a token that reads "Bearer").
  if (space === -1) return value && value.toLowerCase() !== 'bearer' ? value : undefined;
  if (value.slice(0, space).toLowerCase() !== 'bearer') return undefined;
  return value.slice(space + 1).trim() || undefined;
}

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
 * Hashes a secret to a self-describing PHC-style string: `$scrypt$ln=14,r=8,p=1$<salt>$<key>`
 * (base64url), so the cost can be raised later without breaking stored hashes. Runs on the
 * libuv thread pool, not on the event loop.
 */
export async function hashSecret(secret: string, params: ScryptParams = {}): Promise<string> {
  const { logN, r, p } = { ...defaultScryptParams, ...params };
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(secret, salt, logN, r, p);
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * A well-formed hash of the default cost that no secret matches (random salt and key): what a
 * secret is verified against when its token id is unknown, so that the failure costs one scrypt
 * as a wrong secret for a known id does.
 */
export function unknownTokenHash(params: ScryptParams = {}): string {
  const { logN, r, p } = { ...defaultScryptParams, ...params };
  const salt = randomBytes(SALT_BYTES).toString('base64url');
  const key = randomBytes(KEY_BYTES).toString('base64url');
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt}$${key}`;
}

/** True when `secret` hashes to `hash`; false for any other secret or a malformed hash. */
export async function verifySecret(secret: string, hash: string): Promise<boolean> {
  const match = HASH_PATTERN.exec(hash);
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

/** SHA-256 of a string: fixed length, so `timingSafeEqual` applies to strings of any length. */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * A check for the admin token (any string, from `GATEWAY_ADMIN_TOKEN`). Both sides are hashed
 * so the comparison is constant-time whatever the lengths, and the admin token itself is not
 * kept in memory past this call.
 */
export function createAdminTokenCheck(adminToken: string): (candidate: string) => boolean {
  if (adminToken.trim() === '') throw new Error('The admin token must not be empty');
  const expected = sha256(adminToken);
  return (candidate) => timingSafeEqual(sha256(candidate), expected);
}
