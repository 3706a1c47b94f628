import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from './secret-hash.js';

/**
 * Token wire format: `sg_<id>_<secret>`. The id (16 hex chars) is public and only used to find
 * the token's record; the secret (32 random bytes, base64url) is what proves possession. Only a
 * hash of the secret is ever stored (`secret-hash.ts`).
 */
const TOKEN_PATTERN = /^sg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const ID_BYTES = 8;
const SECRET_BYTES = 32;

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
