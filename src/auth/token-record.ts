import { z } from 'zod';
import { grantsSchema } from './grants.js';
import type { Grant, Principal } from './grants.js';
import { defaultRateLimits } from './rate-limit.js';
import type { RateLimits } from './rate-limit.js';
import { hashSecret, isSecretHash } from './secret-hash.js';
import { generateToken } from './token-secret.js';

/**
 * A token as stored in the registry log. It holds a hash of the secret, never the secret; it is turned into a `Principal` (which has no hash) before anything else sees it.
 */
export interface TokenRecord {
  /** The public id of `sg_<id>_<secret>`. */
  readonly id: string;
  readonly name: string;
  readonly tenant: string | null;
  readonly grants: readonly Grant[];
  /** `hashSecret` output; a scrypt hash in records written by older versions. */
  readonly secretHash: string;
  /** RFC 3339; null: never. */
  readonly expiresAt: string | null;
  readonly createdAt: string;
  /** The issuer's principal name (the admin token is `admin`). */
  readonly createdBy: string;
  readonly limits: RateLimits;
  /** RFC 3339, set once revoked. */
  readonly revokedAt?: string | null;
}

const dateTime = z.iso.datetime({ offset: true });

const tokenRecordSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  name: z.string().min(1),
  tenant: z.string().min(1).nullable(),
  grants: grantsSchema,
  secretHash: z.string().refine(isSecretHash, 'not a $sha256$ or $scrypt$ hash'),
  expiresAt: dateTime.nullable(),
  createdAt: dateTime,
  createdBy: z.string(),
  limits: z
    .object({
      publishPerSecond: z.number().positive(),
      maxSubscriptions: z.number().int().nonnegative(),
    })
    .default(defaultRateLimits),
  revokedAt: dateTime.nullish(),
});

/** Reads a token record back from the registry; throws a descriptive Error when malformed. */
export function parseTokenRecord(input: unknown): TokenRecord {
  const result = tokenRecordSchema.safeParse(input);
  if (result.success) return result.data;
  throw new Error(`Invalid token record: ${z.prettifyError(result.error)}`);
}

export type TokenStatus = 'active' | 'revoked' | 'expired';

export function tokenStatus(record: TokenRecord, now: number = Date.now()): TokenStatus {
  if (record.revokedAt) return 'revoked';
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now) return 'expired';
  return 'active';
}

/** The principal of a token record: every field but the secret hash, frozen. */
export function principalFromRecord(record: TokenRecord): Principal {
  return Object.freeze({
    tokenId: record.id,
    name: record.name,
    admin: false,
    tenant: record.tenant,
    grants: Object.freeze([...record.grants]),
    expiresAt: record.expiresAt,
    limits: Object.freeze({ ...record.limits }),
  });
}

/** The admin token's principal: may do everything, scoped to no tenant. */
export const adminPrincipal: Principal = Object.freeze({
  tokenId: null,
  name: 'admin',
  admin: true,
  tenant: null,
  grants: Object.freeze([]),
  expiresAt: null,
  limits: defaultRateLimits,
});

export interface NewTokenInput {
  readonly name: string;
  readonly tenant: string | null;
  readonly grants: readonly Grant[];
  readonly expiresAt: string | null;
  readonly createdBy: string;
  /** @default defaultRateLimits */
  readonly limits?: RateLimits;
  /** Milliseconds since the epoch. @default Date.now() */
  readonly now?: number;
}

/**
 * Makes a new token: the record to append to the registry, and the token to show the user
 * once (it is not kept anywhere).
 */
export function createTokenRecord(input: NewTokenInput): { record: TokenRecord; token: string } {
  const { id, secret, token } = generateToken();
  const record: TokenRecord = {
    id,
    name: input.name,
    tenant: input.tenant,
    grants: input.grants,
    secretHash: hashSecret(secret),
    expiresAt: input.expiresAt,
    createdAt: new Date(input.now ?? Date.now()).toISOString(),
    createdBy: input.createdBy,
    limits: input.limits ?? defaultRateLimits,
  };
  return { record, token };
}
