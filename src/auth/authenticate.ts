import type { GraphQLError } from 'graphql';
import { errorCodeOf, gatewayError } from '../errors.js';
import { createAuthThrottle } from './auth-throttle.js';
import { throttleKeyOf } from './client-address.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { Principal } from './grants.js';
import { rateLimited } from './rate-limit.js';
import { adminPrincipal, principalFromRecord, tokenStatus } from './token-record.js';
import type { TokenRecord } from './token-record.js';
import { isFastHash, unknownTokenHash, verifySecret } from './secret-hash.js';
import { bearerToken, createAdminTokenCheck, parseToken } from './token-secret.js';
import { createVerifiedTokenCache } from './verified-token-cache.js';
import type { VerifiedTokenCache } from './verified-token-cache.js';

export interface AuthenticatorOptions {
  /** The token record of an id, from the registry. */
  readonly findToken: (id: string) => TokenRecord | undefined | Promise<TokenRecord | undefined>;
  /** `GATEWAY_ADMIN_TOKEN`; undefined: no token is admin. @default undefined */
  readonly adminToken?: string;
  /** @default createVerifiedTokenCache() */
  readonly cache?: VerifiedTokenCache;
  /** @default createAuthThrottle() */
  readonly throttle?: AuthThrottle;
  /** The secret check, replaceable to count calls in tests. @default verifySecret */
  readonly verify?: (secret: string, hash: string) => Promise<boolean>;
  /** The clock in milliseconds (expiry). @default Date.now */
  readonly now?: () => number;
  /**
   * What a secret is checked against when its token id is unknown: a hash of the kind new tokens
   * are stored with, so that failures cost the same either way. @default unknownTokenHash()
   */
  readonly unknownIdHash?: string;
}

/** Turns credentials into a Principal, the same way for HTTP, SSE and WebSocket. */
export interface Authenticator {
  /**
   * `authorization` is the `Authorization` header value (or graphql-ws
   * `connectionParams.authorization`); `address` the client's IP. Throws UNAUTHENTICATED, or
   * RATE_LIMITED while the address is throttled.
   */
  authenticate(
    authorization: string | undefined | null,
    address: string | undefined,
  ): Promise<Principal>;
  /** Forget a token's cached verification (call when the registry sees it revoked). */
  invalidate(tokenId: string): void;
}

const invalid = (): GraphQLError =>
  gatewayError('UNAUTHENTICATED', 'Unknown, revoked or expired token');
const tooManyFailures = (retryAfterSeconds: number): GraphQLError =>
  rateLimited(retryAfterSeconds, 'Too many failed authentications');

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const {
    findToken,
    cache = createVerifiedTokenCache(),
    throttle = createAuthThrottle(),
    verify = verifySecret,
    now = Date.now,
    unknownIdHash = unknownTokenHash(),
  } = options;
  const isAdmin =
    options.adminToken === undefined ? () => false : createAdminTokenCheck(options.adminToken);
  // Concurrent requests with the same uncached token (a client opening many subscriptions at
  // once) share one verification: one scrypt instead of many for a legacy token.
  const verifying = new Map<string, Promise<boolean>>();

  function verifyOnce(token: string, secret: string, hash: string): Promise<boolean> {
    let pending = verifying.get(token);
    if (!pending) {
      pending = verify(secret, hash).finally(() => verifying.delete(token));
      verifying.set(token, pending);
    }
    return pending;
  }

  /** Blocked addresses (throttle keys) with a legacy scrypt verification under way. */
  const probing = new Set<string>();

  /**
   * One verification for every token of our format, whether its id exists or not (a dummy hash
   * stands in for unknown ids), so the time a failure takes tells nothing about which ids exist.
   */
  async function verifyIssued(
    token: string,
    parsed: { id: string; secret: string },
    record: TokenRecord | undefined,
    address: string | undefined,
  ): Promise<Principal> {
    const matches = await verifyOnce(token, parsed.secret, record?.secretHash ?? unknownIdHash);
    if (!record || !matches) {
      throttle.recordFailure(address);
      throw invalid();
    }
    // Not counted as a failure: presenting a revoked or expired token is not guessing.
    if (tokenStatus(record, now()) !== 'active') {
      cache.invalidate(record.id);
      throw invalid();
    }
    cache.set(token, record.id);
    return principalFromRecord(record);
  }

  /** From a blocked address, whatever fails is answered RATE_LIMITED, as long as it stays blocked. */
  async function verifyWhileBlocked(
    verifying: Promise<Principal>,
    address: string | undefined,
    retryAfterSeconds: number,
  ): Promise<Principal> {
    try {
      return await verifying;
    } catch (error) {
      if (errorCodeOf(error) === 'UNAUTHENTICATED' && !throttle.check(address).ok) {
        throw tooManyFailures(retryAfterSeconds);
      }
      throw error;
    }
  }

  return {
    async authenticate(authorization, address) {
      const token = bearerToken(authorization);
      if (token === undefined) throw gatewayError('UNAUTHENTICATED', 'Missing bearer token');
      // The throttle never stands in the way of a token that can be recognised cheaply: the admin
      // token, one verified lately, or any token stored with a SHA-256 hash (all new ones).
      if (isAdmin(token)) return adminPrincipal;
      const parsed = parseToken(token);
      const record = parsed && (await findToken(parsed.id));
      if (record && cache.get(token) === record.id && tokenStatus(record, now()) === 'active') {
        return principalFromRecord(record);
      }
      const throttled = throttle.check(address);
      if (!parsed) {
        if (throttled.ok) throttle.recordFailure(address);
        throw throttled.ok ? invalid() : tooManyFailures(throttled.retryAfterSeconds);
      }
      if (throttled.ok) return verifyIssued(token, parsed, record, address);
      const retryAfter = throttled.retryAfterSeconds;
      // A SHA-256 check costs microseconds: it always runs, so a valid token from a blocked
      // address (a client behind the same proxy as a guesser) gets in every time. Unknown ids
      // are checked against a SHA-256 dummy, so guessing ids never reaches scrypt.
      if (isFastHash(record?.secretHash ?? unknownIdHash)) {
        return verifyWhileBlocked(
          verifyIssued(token, parsed, record, address),
          address,
          retryAfter,
        );
      }
      // A legacy scrypt record (~50 ms) from a blocked address: one verification at a time, so
      // guessing a legacy token's secret costs at most one scrypt at a time per address; what
      // arrives meanwhile is refused with RATE_LIMITED without hashing.
      const key = throttleKeyOf(address);
      if (probing.has(key)) throw tooManyFailures(retryAfter);
      probing.add(key);
      try {
        return await verifyWhileBlocked(
          verifyIssued(token, parsed, record, address),
          address,
          retryAfter,
        );
      } finally {
        probing.delete(key);
      }
    },
    invalidate(tokenId) {
      cache.invalidate(tokenId);
    },
  };
}
