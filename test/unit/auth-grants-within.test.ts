import { describe, expect, it } from 'vitest';
import { grantsWithin } from '../../src/auth/grants.js';
import type { Grant, Principal } from '../../src/auth/grants.js';
import { patternWithin } from '../../src/auth/grant-pattern.js';
import { defaultRateLimits } from '../../src/auth/rate-limit.js';
import { adminPrincipal } from '../../src/auth/token-record.js';

function principal(grants: Grant[]): Principal {
  return {
    tokenId: '0123456789abcdef',
    name: 'issuer',
    admin: false,
    tenant: null,
    grants,
    expiresAt: null,
    limits: defaultRateLimits,
  };
}

describe('patternWithin', () => {
  it.each([
    ['team-a.x', 'team-a.*', true],
    ['team-a.sub*', 'team-a.*', true],
    ['team-a.*', 'team-a.*', true],
    ['team-a.', 'team-a.*', true],
    ['team-*', 'team-a.*', false],
    ['team-a*', 'team-a.*', false],
    ['team-b.x', 'team-a.*', false],
    ['anything', '*', true],
    ['*', '*', true],
    ['*', 'team-a.*', false],
    ['orders', 'orders', true],
    ['orders*', 'orders', false],
    ['orders-2', 'orders', false],
    ['orders', 'orders*', true],
  ])('%s within %s: %s', (inner, outer, expected) => {
    expect(patternWithin(inner, outer)).toBe(expected);
  });
});

const issuer = principal([
  { stream: 'team-a.*', operations: ['MANAGE', 'PUBLISH', 'SUBSCRIBE'] },
  { stream: 'shared', operations: ['MANAGE', 'SUBSCRIBE'], types: ['audit.*'] },
  { stream: 'readonly.*', operations: ['SUBSCRIBE'] },
  { stream: 'mixed.*', operations: ['MANAGE'] },
  { stream: 'mixed.logs', operations: ['SUBSCRIBE'] },
  { stream: 'multi', operations: ['MANAGE', 'SUBSCRIBE'], types: ['a.*'] },
  { stream: 'multi*', operations: ['SUBSCRIBE'], types: ['b.*'] },
]);

// [requested grant, undefined when allowed, else a fragment of the one violation]
const matrix: [Grant, string | undefined][] = [
  [{ stream: 'team-a.x', operations: ['PUBLISH'] }, undefined],
  [{ stream: 'team-a.sub*', operations: ['SUBSCRIBE'] }, undefined],
  [{ stream: 'team-a.*', operations: ['MANAGE', 'PUBLISH', 'SUBSCRIBE'] }, undefined],
  [{ stream: 'team-a.x', operations: ['MANAGE'], types: ['x.*'] }, undefined],
  [
    { stream: 'team-*', operations: ['SUBSCRIBE'] },
    'not within a stream pattern the issuer may MANAGE',
  ],
  [
    { stream: 'team-a*', operations: ['SUBSCRIBE'] },
    'not within a stream pattern the issuer may MANAGE',
  ],
  [
    { stream: 'team-b.x', operations: ['SUBSCRIBE'] },
    'not within a stream pattern the issuer may MANAGE',
  ],
  [{ stream: '*', operations: ['SUBSCRIBE'] }, 'not within a stream pattern the issuer may MANAGE'],
  [{ stream: 'shared', operations: ['SUBSCRIBE'], types: ['audit.login'] }, undefined],
  [{ stream: 'shared', operations: ['SUBSCRIBE'], types: ['audit.*'] }, undefined],
  [
    { stream: 'shared', operations: ['SUBSCRIBE'] },
    'SUBSCRIBE on every type, the issuer only on audit.*',
  ],
  [
    { stream: 'shared', operations: ['SUBSCRIBE'], types: ['audit.login', 'billing.paid'] },
    'SUBSCRIBE on types billing.paid, the issuer only on audit.*',
  ],
  [{ stream: 'shared', operations: ['SUBSCRIBE'], types: ['audit*'] }, 'SUBSCRIBE on types audit*'],
  [
    { stream: 'shared', operations: ['PUBLISH'], types: ['audit.x'] },
    'the issuer may not PUBLISH there',
  ],
  [
    { stream: 'shared*', operations: ['SUBSCRIBE'] },
    'not within a stream pattern the issuer may MANAGE',
  ],
  [
    { stream: 'readonly.x', operations: ['SUBSCRIBE'] },
    'not within a stream pattern the issuer may MANAGE',
  ],
  [{ stream: 'mixed.logs', operations: ['SUBSCRIBE'] }, undefined],
  [{ stream: 'mixed.*', operations: ['SUBSCRIBE'] }, 'the issuer may not SUBSCRIBE there'],
  [{ stream: 'mixed.other', operations: ['PUBLISH'] }, 'the issuer may not PUBLISH there'],
  [{ stream: 'mixed.logs', operations: ['MANAGE'] }, undefined],
  [{ stream: 'multi', operations: ['SUBSCRIBE'], types: ['a.x', 'b.y'] }, undefined],
  [{ stream: 'multi', operations: ['SUBSCRIBE'], types: ['c.z'] }, 'the issuer only on a.*, b.*'],
  [{ stream: 'multi', operations: ['SUBSCRIBE'] }, 'SUBSCRIBE on every type'],
];

describe('grantsWithin', () => {
  it.each(matrix)('%j → %s', (grant, violation) => {
    const violations = grantsWithin(issuer, [grant]);
    if (violation === undefined) {
      expect(violations).toEqual([]);
    } else {
      expect(violations).toHaveLength(1);
      expect(violations[0]).toContain(violation);
      expect(violations[0]).toContain(`grants[0] on '${grant.stream}'`);
    }
  });

  it('lists every violation of a multi-grant request, by index and operation', () => {
    const violations = grantsWithin(issuer, [
      { stream: 'team-a.x', operations: ['PUBLISH'] },
      { stream: 'team-b.x', operations: ['PUBLISH'] },
      { stream: 'mixed.logs', operations: ['SUBSCRIBE', 'PUBLISH', 'MANAGE'] },
    ]);
    expect(violations).toEqual([
      "grants[1] on 'team-b.x': not within a stream pattern the issuer may MANAGE",
      "grants[2] on 'mixed.logs': the issuer may not PUBLISH there",
    ]);
  });

  it('lets the admin issue anything', () => {
    for (const [grant] of matrix) expect(grantsWithin(adminPrincipal, [grant])).toEqual([]);
  });

  it('lets a token without grants issue nothing', () => {
    const nobody = principal([]);
    expect(
      grantsWithin(
        nobody,
        matrix.map(([grant]) => grant),
      ),
    ).toHaveLength(matrix.length);
  });
});
