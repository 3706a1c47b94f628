import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../src/errors.js';
import { can, Operations, parseGrants, typesAllowed } from '../../src/auth/grants.js';
import type { Grant, Operation, Principal } from '../../src/auth/grants.js';
import { defaultRateLimits } from '../../src/auth/rate-limit.js';
import { adminPrincipal } from '../../src/auth/token-record.js';

function principal(grants: Grant[]): Principal {
  return {
    tokenId: '0123456789abcdef',
    name: 'test',
    admin: false,
    tenant: null,
    grants,
    expiresAt: null,
    limits: defaultRateLimits,
  };
}

function parseError(input: unknown): { code: string | undefined; message: string } {
  try {
    parseGrants(input);
  } catch (error) {
    return { code: errorCodeOf(error), message: (error as Error).message };
  }
  throw new Error('parseGrants accepted the input');
}

describe('parseGrants', () => {
  it('accepts names and prefixes, removes duplicate operations, drops null types', () => {
    expect(
      parseGrants([
        { stream: 'orders', operations: ['PUBLISH', 'PUBLISH'] },
        { stream: 'team-a.*', operations: ['SUBSCRIBE'], types: ['app.*', 'release.created'] },
        { stream: '*', operations: ['SUBSCRIBE'], types: null },
      ]),
    ).toEqual([
      { stream: 'orders', operations: ['PUBLISH'] },
      { stream: 'team-a.*', operations: ['SUBSCRIBE'], types: ['app.*', 'release.created'] },
      { stream: '*', operations: ['SUBSCRIBE'] },
    ]);
    expect(parseGrants([])).toEqual([]);
  });

  it.each([
    [[{ stream: '', operations: ['PUBLISH'] }], 'grants[0].stream: must not be empty'],
    [
      [{ stream: 'a*b', operations: ['PUBLISH'] }],
      "grants[0].stream: may contain '*' only as its last",
    ],
    [[{ stream: '**', operations: ['PUBLISH'] }], "grants[0].stream: may contain '*' only"],
    [
      [{ stream: 'a b', operations: ['PUBLISH'] }],
      'grants[0].stream: must not contain white space',
    ],
    [
      [{ stream: 'x'.repeat(256), operations: ['PUBLISH'] }],
      'grants[0].stream: must be at most 255',
    ],
    [[{ stream: 'a', operations: [] }], 'grants[0].operations: must list at least one operation'],
    [[{ stream: 'a', operations: ['DELETE'] }], 'grants[0].operations[0]'],
    [[{ stream: 'a', operations: ['PUBLISH'], types: [] }], 'grants[0].types: must not be empty'],
    [
      [
        { stream: 'a', operations: ['PUBLISH'] },
        { stream: 'b', operations: ['PUBLISH'], types: ['*.x'] },
      ],
      "grants[1].types[0]: may contain '*' only",
    ],
    [{ stream: 'a', operations: ['PUBLISH'] }, 'grants: '],
    [Array.from({ length: 101 }, () => ({ stream: 'a', operations: ['PUBLISH'] })), 'grants: '],
  ])('rejects %j with BAD_USER_INPUT naming the problem', (input, message) => {
    const error = parseError(input);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(message);
  });

  it('names every problem at once', () => {
    const { message } = parseError([
      { stream: 'a*b', operations: ['PUBLISH'] },
      { stream: 'c', operations: [] },
    ]);
    expect(message).toContain('grants[0].stream');
    expect(message).toContain('grants[1].operations');
  });
});

type Probe = `${Operation} ${string} ${string}`;
const STREAMS = [
  'orders',
  'orders-archive',
  'team-a.x',
  'team-a.',
  'team-ab',
  'team-b.y',
  'billing',
];
const TYPES = [undefined, 'order.created', 'order.deleted', 'payment.settled', 'user.created'];
const probe = (op: Operation, stream: string, type: string | undefined): Probe =>
  `${op} ${stream} ${type ?? '(any)'}`;

/** The cross product of what the table says is allowed. */
function allow(
  ops: Operation[],
  streams: string[],
  types: (string | undefined)[] = TYPES,
): Probe[] {
  return ops.flatMap((op) => streams.flatMap((s) => types.map((t) => probe(op, s, t))));
}

const matrix: [string, Principal, Probe[]][] = [
  ['no grants', principal([]), []],
  [
    'an exact stream',
    principal([{ stream: 'orders', operations: ['SUBSCRIBE'] }]),
    allow(['SUBSCRIBE'], ['orders']),
  ],
  [
    'a prefix',
    principal([{ stream: 'team-a.*', operations: ['PUBLISH', 'SUBSCRIBE'] }]),
    allow(['PUBLISH', 'SUBSCRIBE'], ['team-a.x', 'team-a.']),
  ],
  [
    'type-restricted (name and prefix)',
    principal([
      { stream: 'orders', operations: ['SUBSCRIBE'], types: ['order.created', 'payment.*'] },
    ]),
    allow(['SUBSCRIBE'], ['orders'], [undefined, 'order.created', 'payment.settled']),
  ],
  [
    'MANAGE only',
    principal([{ stream: 'billing', operations: ['MANAGE'] }]),
    allow(['MANAGE'], ['billing']),
  ],
  [
    'several grants',
    principal([
      { stream: 'orders*', operations: ['PUBLISH'], types: ['order.*'] },
      { stream: 'orders', operations: ['PUBLISH'], types: ['user.created'] },
      { stream: 'team-b.*', operations: ['SUBSCRIBE'] },
      { stream: 'billing', operations: ['MANAGE', 'SUBSCRIBE'] },
    ]),
    [
      ...allow(
        ['PUBLISH'],
        ['orders'],
        [undefined, 'order.created', 'order.deleted', 'user.created'],
      ),
      ...allow(['PUBLISH'], ['orders-archive'], [undefined, 'order.created', 'order.deleted']),
      ...allow(['SUBSCRIBE'], ['team-b.y']),
      ...allow(['MANAGE', 'SUBSCRIBE'], ['billing']),
    ],
  ],
  ['the admin', adminPrincipal, allow([...Operations], STREAMS)],
];

describe('can()', () => {
  // Every operation × stream × type probe; the allowed ones must be exactly the table's.
  it.each(matrix)('for %s allows exactly the table', (_name, who, allowed) => {
    const actual = allow([...Operations], STREAMS).filter((p) => {
      const [op, stream, type] = p.split(' ') as [Operation, string, string];
      return can(who, op, stream, type === '(any)' ? undefined : type);
    });
    expect(actual.sort()).toEqual([...allowed].sort());
  });
});

describe('typesAllowed', () => {
  it('is undefined (every type) for the admin and for an unrestricted grant', () => {
    expect(typesAllowed(adminPrincipal, 'SUBSCRIBE', 'anything')).toBeUndefined();
    const who = principal([{ stream: 'orders', operations: ['SUBSCRIBE'] }]);
    expect(typesAllowed(who, 'SUBSCRIBE', 'orders')).toBeUndefined();
  });

  it('is the union of the matching grants’ types', () => {
    const who = principal([
      { stream: 'orders', operations: ['SUBSCRIBE'], types: ['order.*'] },
      { stream: 'ord*', operations: ['SUBSCRIBE'], types: ['payment.settled', 'order.*'] },
      { stream: 'orders', operations: ['PUBLISH'], types: ['user.*'] },
      { stream: 'other', operations: ['SUBSCRIBE'], types: ['other.*'] },
    ]);
    expect(typesAllowed(who, 'SUBSCRIBE', 'orders')).toEqual(['order.*', 'payment.settled']);
    expect(typesAllowed(who, 'PUBLISH', 'orders')).toEqual(['user.*']);
  });

  it('is undefined as soon as one matching grant has no type restriction', () => {
    const who = principal([
      { stream: 'orders', operations: ['SUBSCRIBE'], types: ['order.*'] },
      { stream: 'ord*', operations: ['SUBSCRIBE'] },
    ]);
    expect(typesAllowed(who, 'SUBSCRIBE', 'orders')).toBeUndefined();
  });

  it('is empty when no grant matches the stream and operation', () => {
    const who = principal([{ stream: 'orders', operations: ['PUBLISH'] }]);
    expect(typesAllowed(who, 'SUBSCRIBE', 'orders')).toEqual([]);
    expect(typesAllowed(who, 'PUBLISH', 'billing')).toEqual([]);
  });
});
