import { gatewayError } from '../errors.js';
import type { Registry } from '../registry/registry.js';
import { grantsWithin, parseGrants, type Principal } from './grants.js';
import { authorizeIssue } from './issue-policy.js';
import { defaultRateLimits, type RateLimits } from './rate-limit.js';
import { createTokenRecord, parseTokenRecord, type TokenRecord } from './token-record.js';

export interface IssueTokenInput {
  readonly name: string;
  readonly tenant?: string | null;
  readonly grants: unknown;
  readonly expiresAt?: string | null;
  readonly limits?: { readonly [K in keyof RateLimits]?: number | null } | null;
}

export interface IssuedToken {
  readonly id: string;
  /** Shown once; only its hash is kept. */
  readonly token: string;
  readonly name: string;
}

export interface TokenServiceOptions {
  readonly registry: Registry;
}

/** Issues and revokes tokens as registry records; finds them for authentication. */
export interface TokenService {
  issue(issuer: Principal, input: IssueTokenInput): Promise<IssuedToken>;
  /** True when this call revoked it, false when it was revoked already. */
  revoke(actor: Principal, id: string): Promise<boolean>;
  find(id: string): TokenRecord | undefined;
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { registry } = options;

  /** The token's record; undefined when unknown or malformed (such a token cannot be used). */
  function find(id: string): TokenRecord | undefined {
    const stored = registry.state.tokens.get(id);
    if (!stored) return undefined;
    try {
      return parseTokenRecord({ ...stored.token, revokedAt: stored.revokedAt });
    } catch {
      return undefined;
    }
  }

  /**
   * What revocation needs of a record, even one written before limits were validated
   * (`publishPerSecond: 0`): its limits do not matter to revoking it. Null fields: unreadable
   * beyond that, which only the admin or the token itself may revoke.
   */
  function findForRevocation(
    id: string,
  ):
    (Pick<TokenRecord, 'revokedAt'> & Partial<Pick<TokenRecord, 'tenant' | 'grants'>>) | undefined {
    const stored = registry.state.tokens.get(id);
    if (!stored) return undefined;
    const found = find(id);
    if (found) return found;
    const { limits: _ignored, ...rest } = stored.token as unknown as Record<string, unknown>;
    try {
      return parseTokenRecord({ ...rest, revokedAt: stored.revokedAt });
    } catch {
      return { revokedAt: stored.revokedAt };
    }
  }

  return {
    find,
    async issue(issuer, input) {
      const name = input.name.trim();
      if (name === '' || name.length > 200)
        throw gatewayError('BAD_USER_INPUT', 'name must be 1 to 200 characters');
      const grants = parseGrants(input.grants);
      const decision = authorizeIssue(issuer, {
        tenant: input.tenant,
        grants,
        expiresAt: input.expiresAt,
      });
      const limits = { ...defaultRateLimits, ...stripNulls(input.limits) };
      if (!(Number.isFinite(limits.publishPerSecond) && limits.publishPerSecond > 0)) {
        throw gatewayError('BAD_USER_INPUT', 'publishPerSecond must be a number above 0');
      }
      if (!(Number.isSafeInteger(limits.maxSubscriptions) && limits.maxSubscriptions >= 0)) {
        throw gatewayError('BAD_USER_INPUT', 'maxSubscriptions must be a whole number, 0 or more');
      }
      if (
        !issuer.admin &&
        (limits.publishPerSecond > issuer.limits.publishPerSecond ||
          limits.maxSubscriptions > issuer.limits.maxSubscriptions)
      ) {
        throw gatewayError('FORBIDDEN', 'a token cannot get higher limits than its issuer');
      }
      const { record, token } = createTokenRecord({
        name,
        tenant: decision.tenant,
        grants,
        expiresAt: decision.expiresAt,
        createdBy: issuer.name,
        limits,
      });
      const outcome = await registry.write({ kind: 'token', id: record.id, token: { ...record } });
      if (!outcome.accepted) throw gatewayError(outcome.code, outcome.message);
      return { id: record.id, token, name };
    },
    async revoke(actor, id) {
      const record = findForRevocation(id);
      if (!record) throw gatewayError('NOT_FOUND', `token "${id}" does not exist`);
      const own = actor.tokenId === id;
      const sameTenant = actor.tenant === null || actor.tenant === record.tenant;
      const within = record.grants !== undefined && grantsWithin(actor, record.grants).length === 0;
      if (!actor.admin && !own && !(sameTenant && within)) {
        throw gatewayError(
          'FORBIDDEN',
          'a token may revoke itself, or tokens whose grants lie within its MANAGE grants',
        );
      }
      if (record.revokedAt) return false;
      const outcome = await registry.write({
        kind: 'revocation',
        id,
        revokedBy: actor.name,
        revokedAt: new Date().toISOString(),
      });
      if (!outcome.accepted) throw gatewayError(outcome.code, outcome.message);
      return true;
    },
  };
}

function stripNulls(value: IssueTokenInput['limits']): Partial<RateLimits> {
  if (!value) return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v != null),
  ) as Partial<RateLimits>;
}
