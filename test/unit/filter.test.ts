import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../src/errors.js';
import type { StoredEvent } from '../../src/events/envelope.js';
import {
  compileFilter,
  filterKey,
  type EventFilterInput,
  type FilterLimits,
  type PredicateInput,
} from '../../src/events/filter.js';

function event(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    stream: 'platform',
    partition: 0,
    offset: 1,
    id: 'e1',
    type: 'app.created',
    resourceType: 'app',
    action: 'created',
    resourceId: 'app-1',
    source: 'test',
    tenant: null,
    time: '2024-05-01T12:00:00Z',
    schemaVersion: 1,
    payload: {},
    ...overrides,
  };
}

const unscoped = { tenant: null };
const MISSING = Symbol('missing');

function passes(filter: EventFilterInput | null, e: StoredEvent, scope = unscoped): boolean {
  return compileFilter(filter, scope)(e);
}

function failure(fn: () => unknown): {
  code: string | undefined;
  message: string;
  extensions: Record<string, unknown>;
} {
  try {
    fn();
  } catch (error) {
    const e = error as { message: string; extensions?: Record<string, unknown> };
    return { code: errorCodeOf(error), message: e.message, extensions: e.extensions ?? {} };
  }
  throw new Error('expected a throw');
}

describe('predicate operators', () => {
  // [operator, operand, value at path "v" (MISSING: no such key), expected]
  const table: [keyof Omit<PredicateInput, 'path'>, unknown, unknown, boolean][] = [
    ['eq', 'eu', 'eu', true],
    ['eq', 'eu', 'us', false],
    ['eq', 1, 1.0, true],
    ['eq', 1, '1', false],
    ['eq', null, null, true],
    ['eq', null, MISSING, false],
    ['eq', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    ['eq', { a: 1 }, { a: 1, b: 2 }, false],
    ['eq', [1, 2], [2, 1], false],
    ['ne', 'eu', 'us', true],
    ['ne', 'eu', 'eu', false],
    ['ne', 'eu', MISSING, true],
    ['ne', { a: [1] }, { a: [1] }, false],
    ['ne', null, 0, true],
    ['in', ['eu', 'us'], 'us', true],
    ['in', ['eu', 'us'], 'ap', false],
    ['in', ['eu'], MISSING, false],
    ['in', [{ k: 1 }, 2], { k: 1 }, true],
    ['in', [{ k: 1 }, 2], { k: 2 }, false],
    ['in', [], 'eu', false],
    ['notIn', ['eu', 'us'], 'ap', true],
    ['notIn', ['eu', 'us'], 'eu', false],
    ['notIn', ['eu'], MISSING, true],
    ['notIn', [[1]], [1], false],
    ['gt', 5, 6, true],
    ['gt', 5, 5, false],
    ['gt', 5, '6', false],
    ['gt', 5, MISSING, false],
    ['gte', 5, 5, true],
    ['gte', 5, 4.9, false],
    ['lt', 5, -1, true],
    ['lt', 5, 5, false],
    ['lte', 5, 5, true],
    ['lte', 5, 6, false],
    ['gt', 'b', 'c', true],
    ['gt', 'b', 'a', false],
    ['gt', 'b', 3, false],
    ['lt', 'b', 'B', true],
    ['gt', '2024-05-01T10:00:00Z', '2024-05-01T10:00:00.5Z', true],
    ['lt', '2024-05-01T10:00:00.5Z', '2024-05-01T10:00:00Z', true],
    ['gt', '2024-05-01T11:30:00Z', '2024-05-01T12:00:00+01:00', false],
    ['lt', '2024-05-01T11:30:00Z', '2024-05-01T12:00:00+01:00', true],
    ['gte', '2024-05-01T11:00:00Z', '2024-05-01T12:00:00+01:00', true],
    ['gt', '2024-05-01T10:00:00Z', 'zzz', false],
    ['lte', '2024-05-01', '2024-04-30', true],
    ['prefix', 'ap-', 'ap-south', true],
    ['prefix', 'ap-', 'eu-west', false],
    ['prefix', '1', 12, false],
    ['prefix', 'a', MISSING, false],
    ['contains', 'b', ['a', 'b'], true],
    ['contains', 'c', ['a', 'b'], false],
    ['contains', { id: 1 }, [{ id: 1 }, { id: 2 }], true],
    ['contains', { id: 1 }, [{ id: 1, x: 1 }], false],
    ['contains', 'ell', 'hello', true],
    ['contains', 'xyz', 'hello', false],
    ['contains', { a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 }, true],
    ['contains', { a: { b: 2 } }, { a: { b: 1, c: 2 } }, false],
    ['contains', { tags: [1] }, { tags: [1, 2] }, false],
    ['contains', 1, 1, false],
    ['contains', null, [null], true],
    ['contains', 'a', MISSING, false],
    ['exists', true, null, true],
    ['exists', true, MISSING, false],
    ['exists', false, MISSING, true],
    ['exists', false, 0, false],
  ];

  it.each(table)('%s %j on %j is %s', (operator, operand, value, expected) => {
    const payload = value === MISSING ? { other: 1 } : { v: value };
    expect(passes({ where: [{ path: 'v', [operator]: operand }] }, event({ payload }))).toBe(
      expected,
    );
  });

  it('covers every operator with both outcomes', () => {
    const outcomes = new Set(table.map(([op, , , expected]) => `${op}:${expected}`));
    for (const op of [
      'eq',
      'ne',
      'in',
      'notIn',
      'gt',
      'gte',
      'lt',
      'lte',
      'prefix',
      'contains',
      'exists',
    ]) {
      expect([outcomes.has(`${op}:true`), outcomes.has(`${op}:false`)], op).toEqual([true, true]);
    }
  });
});

describe('paths', () => {
  const payload = {
    region: { name: 'eu-west', zones: ['a', 'b'] },
    tags: ['x', 'y'],
    items: [{ sku: 'k1' }, { sku: 'k2' }],
    '7': 'numeric key',
    text: 'abc',
  };

  it.each([
    ['region.name', 'eu-west'],
    ['region.zones.1', 'b'],
    ['tags.0', 'x'],
    ['items.1.sku', 'k2'],
    ['7', 'numeric key'],
  ])('%s resolves', (path, value) => {
    expect(passes({ where: [{ path, eq: value }] }, event({ payload }))).toBe(true);
  });

  it.each([
    'region.missing',
    'tags.2',
    'tags.01',
    'tags.x',
    'text.0',
    'text.length',
    'constructor',
    '__proto__',
    'region.name.x',
  ])('%s does not resolve', (path) => {
    expect(passes({ where: [{ path, exists: true }] }, event({ payload }))).toBe(false);
    expect(passes({ where: [{ path, exists: false }] }, event({ payload }))).toBe(true);
  });

  it('reads the payload whatever its kind', () => {
    expect(passes({ where: [{ path: '0', eq: 1 }] }, event({ payload: [1] }))).toBe(true);
    expect(passes({ where: [{ path: 'a', exists: true }] }, event({ payload: 'a' }))).toBe(false);
    expect(passes({ where: [{ path: 'a', exists: true }] }, event({ payload: null }))).toBe(false);
  });
});

describe('event selectors', () => {
  it.each<[string, EventFilterInput, Partial<StoredEvent>, boolean]>([
    ['exact type', { types: ['app.created'] }, {}, true],
    ['other exact type', { types: ['app.deleted'] }, {}, false],
    ['type prefix', { types: ['app.*'] }, {}, true],
    ['type prefix of a longer name only', { types: ['app.*'] }, { type: 'apps.created' }, false],
    ['type star', { types: ['*'] }, { type: 'anything' }, true],
    ['resource type', { resourceTypes: ['app', 'dyno'] }, {}, true],
    ['other resource type', { resourceTypes: ['dyno'] }, {}, false],
    ['action', { actions: ['created'] }, {}, true],
    ['other action', { actions: ['deleted'] }, {}, false],
    ['resource id', { resourceIds: ['app-1'] }, {}, true],
    ['other resource id', { resourceIds: ['app-2'] }, {}, false],
    [
      'resource id of an event without one',
      { resourceIds: ['app-1'] },
      { resourceId: null },
      false,
    ],
    [
      'all parts hold',
      { types: ['app.*'], actions: ['created'], resourceIds: ['app-1'] },
      {},
      true,
    ],
    [
      'one part fails',
      { types: ['app.*'], actions: ['deleted'], resourceIds: ['app-1'] },
      {},
      false,
    ],
    ['null parts do not constrain', { types: null, where: null, any: null }, {}, true],
  ])('%s', (_label, filter, overrides, expected) => {
    expect(passes(filter, event(overrides))).toBe(expected);
  });

  it('passes everything without a filter', () => {
    expect(passes(null, event())).toBe(true);
    expect(compileFilter(undefined, unscoped)(event())).toBe(true);
  });
});

describe('where and any', () => {
  const filter: EventFilterInput = {
    where: [{ path: 'plan', eq: 'pro' }],
    any: [
      [
        { path: 'region', eq: 'eu' },
        { path: 'size', gte: 2 },
      ],
      [{ path: 'vip', eq: true }],
    ],
  };

  it.each([
    [{ plan: 'pro', region: 'eu', size: 2 }, true],
    [{ plan: 'pro', vip: true }, true],
    [{ plan: 'pro', region: 'eu', size: 1 }, false],
    [{ plan: 'free', vip: true }, false],
    [{ plan: 'pro' }, false],
  ])('%j → %s', (payload, expected) => {
    expect(passes(filter, event({ payload }))).toBe(expected);
  });
});

describe('scope', () => {
  it('only passes the types the token may read, whatever the filter asks', () => {
    const scope = { tenant: null, allowedTypes: ['app.*', 'dyno.restarted'] };
    const test = compileFilter({ types: ['*'] }, scope);
    expect(test(event({ type: 'app.deleted' }))).toBe(true);
    expect(test(event({ type: 'dyno.restarted' }))).toBe(true);
    expect(test(event({ type: 'dyno.crashed' }))).toBe(false);
    expect(compileFilter(null, { tenant: null, allowedTypes: [] })(event())).toBe(false);
  });

  it('only passes the token tenant, whatever the filter says (randomised)', () => {
    let seed = 0x5eed1234;
    const random = () => {
      // mulberry32: a reproducible stream, so a failure can be replayed
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const tenants = ['acme', 'globex', 'ACME', 'acme ', '', null];
    const values = ['acme', 'globex', null, 0, 1, true, 'eu', ['acme'], { tenant: 'acme' }];
    const paths = ['tenant', 'region', 'n', 'tags.0', 'meta.tenant', 'missing'];
    const randomPredicate = (): PredicateInput => {
      const path = pick(paths);
      switch (
        pick(['eq', 'ne', 'in', 'notIn', 'gt', 'lt', 'prefix', 'contains', 'exists'] as const)
      ) {
        case 'eq':
          return { path, eq: pick(values) };
        case 'ne':
          return { path, ne: pick(values) };
        case 'in':
          return { path, in: [pick(values), pick(values)] };
        case 'notIn':
          return { path, notIn: [pick(values)] };
        case 'gt':
          return { path, gt: pick([0, 'a']) };
        case 'lt':
          return { path, lt: pick([5, 'z']) };
        case 'prefix':
          return { path, prefix: pick(['a', 'g', '']) };
        case 'contains':
          return { path, contains: pick(values) };
        case 'exists':
          return { path, exists: random() < 0.5 };
      }
    };
    const randomFilter = (): EventFilterInput => {
      const filter: Record<string, unknown> = {};
      if (random() < 0.3) filter['types'] = [pick(['app.*', '*', 'app.created', 'tenant.*'])];
      if (random() < 0.2) filter['resourceIds'] = [pick(['app-1', 'acme'])];
      if (random() < 0.6)
        filter['where'] = Array.from({ length: 1 + Math.floor(random() * 3) }, randomPredicate);
      if (random() < 0.4)
        filter['any'] = [[randomPredicate()], [randomPredicate(), randomPredicate()]];
      return filter;
    };
    const randomEvent = (): StoredEvent =>
      event({
        tenant: pick(tenants),
        type: pick(['app.created', 'tenant.switched']),
        resourceId: pick(['app-1', 'acme', null]),
        payload: {
          tenant: pick(tenants),
          region: pick(values),
          n: random() * 10,
          tags: [pick(values)],
          meta: { tenant: 'acme' },
        },
      });

    let ownPassed = 0;
    let othersPassedByFilterAlone = 0;
    for (let f = 0; f < 400; f++) {
      const filter = randomFilter();
      const scoped = compileFilter(filter, { tenant: 'acme' });
      const unscopedTest = compileFilter(filter, unscoped);
      for (let e = 0; e < 50; e++) {
        const ev = randomEvent();
        const passed = scoped(ev);
        if (passed) expect(ev.tenant, JSON.stringify({ filter, ev })).toBe('acme');
        if (passed) ownPassed++;
        if (ev.tenant !== 'acme' && unscopedTest(ev)) othersPassedByFilterAlone++;
        if (ev.tenant === 'acme') expect(passed).toBe(unscopedTest(ev));
      }
    }
    // The run proves something only if the filters alone would have let other tenants through.
    expect(ownPassed).toBeGreaterThan(100);
    expect(othersPassedByFilterAlone).toBeGreaterThan(100);
  });
});

describe('malformed filters', () => {
  it.each<[string, EventFilterInput, string]>([
    [
      'no operator',
      { where: [{ path: 'a' }] },
      'filter.where[0]: the predicate on "a" has no operator',
    ],
    ['only null operators', { where: [{ path: 'a', in: null, gt: null }] }, 'has no operator'],
    ['several operators', { where: [{ path: 'a', eq: 1, gt: 0 }] }, 'several operators (eq, gt)'],
    [
      'eq and ne null',
      { any: [[{ path: 'a', eq: null, ne: null }]] },
      'filter.any[0][0]: the predicate on "a" has several operators (eq, ne)',
    ],
    ['an empty path', { where: [{ path: '', eq: 1 }] }, 'path must be a non-empty'],
    ['an empty path segment', { where: [{ path: 'a..b', eq: 1 }] }, 'empty segment'],
    [
      'gt on a boolean',
      { where: [{ path: 'a', gt: true }] },
      'gt on "a" compares numbers or strings only',
    ],
    [
      'prefix not a string',
      { where: [{ path: 'a', prefix: 5 as unknown as string }] },
      'prefix on "a" needs a string',
    ],
    [
      'exists not a boolean',
      { where: [{ path: 'a', exists: 'yes' as unknown as boolean }] },
      'needs true or false',
    ],
    [
      'in not a list',
      { where: [{ path: 'a', in: 'x' as unknown as string[] }] },
      'in on "a" needs a list',
    ],
    ['a star inside a type', { types: ['app.*.created'] }, "'*' only at its end"],
    ['an empty types list', { types: [] }, 'filter.types is empty'],
    ['an empty resourceIds list', { resourceIds: [] }, 'filter.resourceIds is empty'],
    ['an empty type', { types: [''] }, 'non-empty strings'],
    ['an empty any', { any: [] }, 'filter.any is empty'],
    [
      'an empty any group',
      { any: [[{ path: 'a', eq: 1 }], []] },
      'filter.any[1] must be a non-empty list',
    ],
  ])('refuses %s', (_label, filter, message) => {
    const error = failure(() => compileFilter(filter, unscoped));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(message);
  });
});

describe('limits', () => {
  const predicates = (n: number): PredicateInput[] =>
    Array.from({ length: n }, (_, i) => ({ path: `p${i}`, exists: true }));
  const strings = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);

  it.each<[string, EventFilterInput, EventFilterInput, string]>([
    [
      'maxPredicates (where and any together)',
      { where: predicates(10), any: [predicates(10)] },
      { where: predicates(10), any: [predicates(11)] },
      'the filter has 21 predicates; the limit is 20 (maxPredicates)',
    ],
    [
      'maxInValues',
      { where: [{ path: 'a', in: strings(100) }] },
      { where: [{ path: 'a', notIn: strings(101) }] },
      'has 101 values; the limit is 100 (maxInValues)',
    ],
    [
      'maxPathDepth',
      { where: [{ path: 'a.b.c.d.e.f.g.h', exists: true }] },
      { where: [{ path: 'a.b.c.d.e.f.g.h.i', exists: true }] },
      'has 9 segments; the limit is 8 (maxPathDepth)',
    ],
    [
      'maxListEntries (types)',
      { types: strings(50) },
      { types: strings(51) },
      'filter.types has 51 entries; the limit is 50 (maxListEntries)',
    ],
    [
      'maxListEntries (resourceIds)',
      { resourceIds: strings(50) },
      { resourceIds: strings(51) },
      'filter.resourceIds has 51 entries',
    ],
    [
      'maxListEntries (actions)',
      { actions: strings(50) },
      { actions: strings(51) },
      'filter.actions has 51 entries',
    ],
    [
      'maxAnyGroups',
      { any: Array.from({ length: 10 }, () => predicates(1)) },
      { any: Array.from({ length: 11 }, () => predicates(1)) },
      'filter.any has 11 groups; the limit is 10 (maxAnyGroups)',
    ],
  ])(
    '%s: at the limit passes, over it is refused by name',
    (_label, atLimit, overLimit, message) => {
      expect(() => compileFilter(atLimit, unscoped)).not.toThrow();
      const error = failure(() => compileFilter(overLimit, unscoped));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.message).toContain(message);
    },
  );

  it('takes other limits when given', () => {
    const limits: FilterLimits = { maxPredicates: 2, maxListEntries: 1 };
    expect(
      failure(() => compileFilter({ where: predicates(3) }, unscoped, limits)).extensions['limit'],
    ).toBe('maxPredicates');
    expect(
      failure(() => compileFilter({ types: strings(2) }, unscoped, limits)).extensions['limit'],
    ).toBe('maxListEntries');
    expect(() =>
      compileFilter({ where: predicates(20) }, unscoped, { maxPredicates: undefined }),
    ).not.toThrow();
  });
});

describe('filterKey', () => {
  it('is the same for filters that select the same events', () => {
    const a: EventFilterInput = {
      types: ['b.*', 'a.created'],
      where: [
        { path: 'x', eq: { k: 1, j: 2 } },
        { path: 'y', in: [1, 2] },
      ],
      any: [[{ path: 'z', exists: true }], [{ path: 'w', gt: 1 }]],
    };
    const b = {
      any: [[{ path: 'w', gt: 1, lt: undefined }], [{ exists: true, path: 'z', prefix: null }]],
      where: [
        { path: 'y', in: [1, 2] },
        { path: 'x', eq: { j: 2, k: 1 } },
      ],
      types: ['a.created', 'b.*', 'a.created'],
      actions: null,
    };
    expect(filterKey(b)).toBe(filterKey(a));
    expect(filterKey(null)).toBe(filterKey({}));
    expect(filterKey(undefined)).toBe(filterKey({ types: null }));
  });

  it('differs for filters that select differently', () => {
    const keys = [
      filterKey({ where: [{ path: 'x', eq: null }] }),
      filterKey({ where: [{ path: 'x', ne: null }] }),
      filterKey({ where: [{ path: 'x', eq: 1 }] }),
      filterKey({ where: [{ path: 'x', eq: '1' }] }),
      filterKey({ where: [{ path: 'x', in: [1, 2] }] }),
      filterKey({ where: [{ path: 'x', in: [2, 1] }] }),
      filterKey({ types: ['a'] }),
      filterKey({ actions: ['a'] }),
      filterKey({
        any: [
          [
            { path: 'x', eq: 1 },
            { path: 'y', eq: 1 },
          ],
        ],
      }),
      filterKey({ any: [[{ path: 'x', eq: 1 }], [{ path: 'y', eq: 1 }]] }),
      filterKey({}),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('cost', () => {
  it('measures a compiled filter per event (printed, not asserted)', () => {
    const test = compileFilter(
      {
        types: ['app.*', 'dyno.*'],
        where: [
          { path: 'region.name', in: ['eu', 'us'] },
          { path: 'size', gte: 2 },
        ],
        any: [[{ path: 'tags', contains: 'prod' }], [{ path: 'owner', prefix: 'team-' }]],
      },
      { tenant: 'acme' },
    );
    const events = Array.from({ length: 64 }, (_, i) =>
      event({
        tenant: i % 4 === 0 ? 'globex' : 'acme',
        payload: {
          region: { name: i % 3 ? 'eu' : 'ap' },
          size: i % 5,
          tags: ['x', i % 2 ? 'prod' : 'dev'],
          owner: 'team-a',
        },
      }),
    );
    const n = 200_000;
    let passed = 0;
    const start = performance.now();
    for (let i = 0; i < n; i++) if (test(events[i % 64]!)) passed++;
    const ns = ((performance.now() - start) * 1e6) / n;
    console.log(
      `compiled filter (tenant, 2 types, 2 where, 2 any groups): ${ns.toFixed(0)} ns per event, ${passed} of ${n} passed`,
    );
    expect(passed).toBeGreaterThan(0);
  });
});
