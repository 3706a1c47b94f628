import type { GraphQLError } from 'graphql';
import { gatewayError } from '../errors.js';
import { createAuthThrottle } from './auth-throttle.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { Principal } from './grants.js';
import { rateLimited } from './rate-limit.js';
import { adminPrincipal, principalFromRecord, tokenStatus } from './token-record.js';
import type { TokenRecord } from './token-record.js';
import { bearerToken, createAdminTokenCheck, parseToken, verifySecret } from './token-secret.js';
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

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const {
    findToken,
    cache = createVerifiedTokenCache(),
    throttle = createAuthThrottle(),
    verify = verifySecret,
    now = Date.now,
  } = options;
  const isAdmin =
    options.adminToken === undefined ? () => false : createAdminTokenCheck(options.adminToken);
  // Concurrent requests with the same uncached token (a client opening many subscriptions at
  // once) share one scrypt instead of each paying for it.
  const verifying = new Map<string, Promise<boolean>>();

  function verifyOnce(token: string, secret: string, hash: string): Promise<boolean> {
    let pending = verifying.get(token);
    if (!pending) {
      pending = verify(secret, hash).finally(() => verifying.delete(token));
      verifying.set(token, pending);
    }
    return pending;
  }

  return {
    async authenticate(authorization, address) {
      const token = bearerToken(authorization);
      if (token === undefined) throw gatewayError('UNAUTHENTICATED', 'Missing bearer token');
      const throttled = throttle.check(address);
      if (!throttled.ok) {
        throw rateLimited(throttled.retryAfterSeconds, 'Too many failed authentications');
      }
      if (isAdmin(token)) return adminPrincipal;

      const parsed = parseToken(token);
      const record = parsed && (await findToken(parsed.id));
      if (!parsed || !record) {
        throttle.recordFailure(address);
        throw invalid();
      }
      // Not counted as a failure: presenting a revoked or expired token is not guessing.
      if (tokenStatus(record, now()) !== 'active') {
        cache.invalidate(record.id);
        throw invalid();
      }
      if (cache.get(token) !== record.id) {
        if (!(await verifyOnce(token, parsed.secret, record.secretHash))) {
          throttle.recordFailure(address);
          throw invalid();
        }
        cache.set(token, record.id);
      }
      return principalFromRecord(record);
    },
    invalidate(tokenId) {
      cache.invalidate(tokenId);
    },
  };
}
