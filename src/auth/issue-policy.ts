import { gatewayError } from '../errors.js';
import { grantsWithin } from './grants.js';
import type { Grant, Principal } from './grants.js';

export interface IssueRequest {
  /** Omitted or null from a tenant token: the issuer's tenant. */
  readonly tenant?: string | null;
  /** Already validated by `parseGrants`. */
  readonly grants: readonly Grant[];
  /** RFC 3339 or a Date; omitted or null from an expiring token: the issuer's expiry. */
  readonly expiresAt?: string | Date | null;
}

/** What the new token gets once the request is allowed. */
export interface IssueDecision {
  readonly tenant: string | null;
  /** RFC 3339 (UTC), or null for never. */
  readonly expiresAt: string | null;
}

function parseExpiry(value: string | Date): number {
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(time))
    throw gatewayError('BAD_USER_INPUT', 'expiresAt is not a valid date-time');
  return time;
}

/**
 * Decides whether `issuer` may issue a token as requested: a token can never hand out more
 * than it holds. Grants must lie within the issuer's (`grantsWithin`), a tenant token issues only
 * tokens of its own tenant, and an expiring token cannot mint one that outlives it. Throws
 * FORBIDDEN with `extensions.violations` listing everything wider, or BAD_USER_INPUT.
 */
export function authorizeIssue(
  issuer: Principal,
  request: IssueRequest,
  now: number = Date.now(),
): IssueDecision {
  const requestedExpiry = request.expiresAt == null ? undefined : parseExpiry(request.expiresAt);
  if (requestedExpiry !== undefined && requestedExpiry <= now) {
    throw gatewayError('BAD_USER_INPUT', 'expiresAt must be in the future');
  }
  if (request.tenant === '') throw gatewayError('BAD_USER_INPUT', 'tenant must not be empty');

  const violations: string[] = [];
  if (!issuer.admin && !issuer.grants.some((grant) => grant.operations.includes('MANAGE'))) {
    violations.push('the issuer has no MANAGE grant');
  }
  const tenant = request.tenant ?? issuer.tenant;
  if (issuer.tenant !== null && tenant !== issuer.tenant) {
    violations.push(
      `tenant '${tenant}': the issuer may only issue tokens of tenant '${issuer.tenant}'`,
    );
  }
  const issuerExpiry = issuer.expiresAt === null ? undefined : Date.parse(issuer.expiresAt);
  const expiry = requestedExpiry ?? issuerExpiry;
  if (issuerExpiry !== undefined && expiry !== undefined && expiry > issuerExpiry) {
    violations.push(`expiresAt: later than the issuer's own expiry ${issuer.expiresAt}`);
  }
  violations.push(...grantsWithin(issuer, request.grants));

  if (violations.length > 0) {
    throw gatewayError('FORBIDDEN', `Cannot issue this token: ${violations.join('; ')}`, {
      violations,
    });
  }
  return { tenant, expiresAt: expiry === undefined ? null : new Date(expiry).toISOString() };
}
