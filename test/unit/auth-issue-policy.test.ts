import { describe, expect, it } from 'vitest';
import type { GraphQLError } from 'graphql';
import { errorCodeOf } from '../../src/errors.js';
import type { Grant, Principal } from '../../src/auth/grants.js';
import { authorizeIssue } from '../../src/auth/issue-policy.js';
import type { IssueRequest } from '../../src/auth/issue-policy.js';
import { defaultRateLimits } from '../../src/auth/rate-limit.js';
import { adminPrincipal } from '../../src/auth/token-record.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const manageTeamA: Grant = { stream: 'team-a.*', operations: ['MANAGE', 'SUBSCRIBE'] };

function principal(overrides: Partial<Principal>): Principal {
  return {
    tokenId: '0123456789abcdef',
    name: 'issuer',
    admin: false,
    tenant: null,
    grants: [manageTeamA],
    expiresAt: null,
    limits: defaultRateLimits,
    ...overrides,
  };
}

function refusal(issuer: Principal, request: IssueRequest): GraphQLError {
  try {
    authorizeIssue(issuer, request, NOW);
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('authorizeIssue allowed the request');
}

const subscribeX: Grant[] = [{ stream: 'team-a.x', operations: ['SUBSCRIBE'] }];

describe('authorizeIssue', () => {
  it('lets the admin issue any tenant, grant and expiry', () => {
    expect(
      authorizeIssue(
        adminPrincipal,
        {
          tenant: 'acme',
          grants: [{ stream: '*', operations: ['MANAGE'] }],
          expiresAt: '2031-01-01T01:00:00+01:00',
        },
        NOW,
      ),
    ).toEqual({ tenant: 'acme', expiresAt: '2031-01-01T00:00:00.000Z' });
    expect(authorizeIssue(adminPrincipal, { grants: [] }, NOW)).toEqual({
      tenant: null,
      expiresAt: null,
    });
  });

  it('lets a non-tenant MANAGE token issue tokens of any tenant within its grants', () => {
    expect(authorizeIssue(principal({}), { tenant: 'acme', grants: subscribeX }, NOW)).toEqual({
      tenant: 'acme',
      expiresAt: null,
    });
  });

  it('gives a tenant token’s tokens its own tenant, and refuses any other', () => {
    const tenantIssuer = principal({ tenant: 'acme' });
    expect(authorizeIssue(tenantIssuer, { grants: subscribeX }, NOW).tenant).toBe('acme');
    expect(authorizeIssue(tenantIssuer, { tenant: null, grants: subscribeX }, NOW).tenant).toBe(
      'acme',
    );
    expect(authorizeIssue(tenantIssuer, { tenant: 'acme', grants: subscribeX }, NOW).tenant).toBe(
      'acme',
    );
    const error = refusal(tenantIssuer, { tenant: 'globex', grants: subscribeX });
    expect(errorCodeOf(error)).toBe('FORBIDDEN');
    expect(error.extensions['violations']).toEqual([
      "tenant 'globex': the issuer may only issue tokens of tenant 'acme'",
    ]);
  });

  it('refuses a token with no MANAGE grant, even for no grants', () => {
    const reader = principal({ grants: [{ stream: 'team-a.*', operations: ['SUBSCRIBE'] }] });
    const error = refusal(reader, { grants: [] });
    expect(errorCodeOf(error)).toBe('FORBIDDEN');
    expect(error.message).toContain('the issuer has no MANAGE grant');
  });

  it('never lets a token outlive its issuer', () => {
    const expiring = principal({ expiresAt: '2030-06-01T00:00:00.000Z' });
    expect(authorizeIssue(expiring, { grants: subscribeX }, NOW).expiresAt).toBe(
      '2030-06-01T00:00:00.000Z',
    );
    expect(
      authorizeIssue(
        expiring,
        { grants: subscribeX, expiresAt: new Date('2030-02-01T00:00:00Z') },
        NOW,
      ).expiresAt,
    ).toBe('2030-02-01T00:00:00.000Z');
    const error = refusal(expiring, { grants: subscribeX, expiresAt: '2030-07-01T00:00:00Z' });
    expect(errorCodeOf(error)).toBe('FORBIDDEN');
    expect(error.message).toContain("later than the issuer's own expiry");
  });

  it('lists every violation at once in extensions.violations', () => {
    const error = refusal(principal({ tenant: 'acme', expiresAt: '2030-06-01T00:00:00Z' }), {
      tenant: 'globex',
      expiresAt: '2031-01-01T00:00:00Z',
      grants: [{ stream: 'team-b.*', operations: ['SUBSCRIBE'] }],
    });
    expect(errorCodeOf(error)).toBe('FORBIDDEN');
    expect(error.extensions['violations']).toHaveLength(3);
  });

  it('answers BAD_USER_INPUT for an expiry in the past or not a date', () => {
    for (const expiresAt of ['2029-12-31T23:59:59Z', new Date(NOW).toISOString(), 'tomorrow']) {
      expect(errorCodeOf(refusal(principal({}), { grants: subscribeX, expiresAt }))).toBe(
        'BAD_USER_INPUT',
      );
    }
    expect(errorCodeOf(refusal(principal({}), { grants: subscribeX, tenant: '' }))).toBe(
      'BAD_USER_INPUT',
    );
  });
});
