/**
 * Every part of `EventFilter` end to end: a small, known set of events on a stream of one
 * partition, one subscription per filter, and exactly the events each filter lets through.
 *
 * How "exactly" is proven without waiting an arbitrary time: every subscription reads from
 * earliest, and after the set, each filter case gets an end marker, a copy of its last expected
 * event (same type, resource and data, so the filter lets it through too) with an id of its own.
 * On one partition the log is totally ordered, so when a case's marker arrives, every event
 * before it has been delivered or filtered out. Markers of other cases that arrive first are
 * dropped from the comparison.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createStreamWithTypes,
  LOG_MODES,
  platformExample,
  publishJson,
  subscribeEvents,
  TRANSPORTS,
  type EventSubscription,
  type PublishJsonInput,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const STREAM = 'lab';
/** The platform's schemas, registered again under `lab.` on a stream of one partition. */
const TYPES = {
  'lab.app.created': 'app.created',
  'lab.app.updated': 'app.updated',
  'lab.app.destroyed': 'app.destroyed',
  'lab.build.created': 'build.created',
  'lab.build.failed': 'build.failed',
  'lab.dyno.crashed': 'dyno.crashed',
} as const;

const appA = '01234567-89ab-cdef-0123-456789abcdef';
const appB = '6a1f0c2e-9d3b-4e58-8f71-2b0c4d6e8a9f';
const build = '7d9a1c3e-2b4f-4a6c-8e0d-1f3a5c7e9b2d';
const dyno = 'e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f6a7b8';

/** The published set, by label, in log order. */
const SET: Record<string, PublishJsonInput> = {
  shopCreated: { type: 'lab.app.created', resourceId: appA, data: platformExample('app.created') },
  billingCreated: {
    type: 'lab.app.created',
    resourceId: appB,
    data: platformExample('app.created', {
      id: appB,
      name: 'billing-api',
      region: { id: '3b7e6d48-0d1c-4f6a-9d2e-5b8c7a6f4e3d', name: 'eu' },
      acm: true,
      created_at: '2025-04-01T10:00:00Z',
      updated_at: '2025-04-01T10:00:00Z',
    }),
  },
  shopUpdated: { type: 'lab.app.updated', resourceId: appA, data: platformExample('app.updated') },
  buildCreated: {
    type: 'lab.build.created',
    resourceId: build,
    data: platformExample('build.created'),
  },
  buildFailed: {
    type: 'lab.build.failed',
    resourceId: build,
    data: platformExample('build.failed'),
  },
  dynoCrashed: {
    type: 'lab.dyno.crashed',
    resourceId: dyno,
    data: platformExample('dyno.crashed', { restart_count: 2 }),
  },
  billingDestroyed: {
    type: 'lab.app.destroyed',
    resourceId: appB,
    data: platformExample('app.destroyed', { id: appB, name: 'billing-api' }),
  },
};
type Label = keyof typeof SET;

/** Each filter with the labels it lets through, in log order. */
const CASES: [string, Record<string, unknown>, Label[]][] = [
  ['types: exact', { types: ['lab.app.created'] }, ['shopCreated', 'billingCreated']],
  [
    'types: prefix*',
    { types: ['lab.app.*'] },
    ['shopCreated', 'billingCreated', 'shopUpdated', 'billingDestroyed'],
  ],
  [
    'types: prefix* and exact',
    { types: ['lab.build.*', 'lab.dyno.crashed'] },
    ['buildCreated', 'buildFailed', 'dynoCrashed'],
  ],
  [
    'resourceTypes',
    { resourceTypes: ['lab.build', 'lab.dyno'] },
    ['buildCreated', 'buildFailed', 'dynoCrashed'],
  ],
  ['actions', { actions: ['created'] }, ['shopCreated', 'billingCreated', 'buildCreated']],
  ['resourceIds', { resourceIds: [appA, dyno] }, ['shopCreated', 'shopUpdated', 'dynoCrashed']],
  ['where eq', { where: [{ path: 'region.name', eq: 'eu' }] }, ['billingCreated']],
  [
    'where eq on an array element',
    { where: [{ path: 'changed_fields.0', eq: 'name' }] },
    ['shopUpdated'],
  ],
  // A missing path satisfies ne: builds and dynos have no region.
  [
    'where ne',
    { where: [{ path: 'region.name', ne: 'us' }] },
    ['billingCreated', 'buildCreated', 'buildFailed', 'dynoCrashed'],
  ],
  [
    'where in',
    { where: [{ path: 'name', in: ['example-shop', 'billing-api'] }] },
    ['shopCreated', 'billingCreated', 'billingDestroyed'],
  ],
  [
    'where notIn',
    { types: ['lab.build.*'], where: [{ path: 'status', notIn: ['pending', 'succeeded'] }] },
    ['buildFailed'],
  ],
  ['where gt (number)', { where: [{ path: 'restart_count', gt: 1 }] }, ['dynoCrashed']],
  // The same instant as 09:26:53Z, written with an offset: compared as instants, not text.
  [
    'where gte (date-time)',
    { where: [{ path: 'created_at', gte: '2025-03-14T10:26:53+01:00' }] },
    [
      'shopCreated',
      'billingCreated',
      'shopUpdated',
      'buildCreated',
      'buildFailed',
      'billingDestroyed',
    ],
  ],
  [
    'where lt (date-time)',
    { where: [{ path: 'created_at', lt: '2025-04-01T10:00:00Z' }] },
    ['shopCreated', 'shopUpdated', 'buildCreated', 'buildFailed', 'billingDestroyed'],
  ],
  ['where lte (number)', { where: [{ path: 'exit_code', lte: 1 }] }, ['buildFailed']],
  [
    'where prefix',
    { where: [{ path: 'name', prefix: 'example-' }] },
    ['shopCreated', 'shopUpdated'],
  ],
  [
    'where contains (array element)',
    { where: [{ path: 'changed_fields', contains: 'maintenance' }] },
    ['shopUpdated'],
  ],
  [
    'where contains (array of objects)',
    { where: [{ path: 'buildpacks', contains: { url: 'heroku/nodejs', name: 'heroku/nodejs' } }] },
    ['buildCreated'],
  ],
  [
    'where contains (substring)',
    { where: [{ path: 'reason', contains: '$PORT' }] },
    ['dynoCrashed'],
  ],
  [
    'where contains (object subset)',
    { where: [{ path: 'region', contains: { name: 'eu' } }] },
    ['billingCreated'],
  ],
  ['where exists: true', { where: [{ path: 'previous', exists: true }] }, ['shopUpdated']],
  [
    'where exists: false',
    { where: [{ path: 'app', exists: false }] },
    ['shopCreated', 'billingCreated', 'shopUpdated', 'billingDestroyed'],
  ],
  [
    'where: all predicates hold',
    {
      where: [
        { path: 'region.name', eq: 'us' },
        { path: 'maintenance', eq: true },
      ],
    },
    ['shopUpdated'],
  ],
  [
    'any: one group holds in full',
    {
      any: [
        [{ path: 'error_code', eq: 'R10' }],
        [
          { path: 'status', eq: 'failed' },
          { path: 'exit_code', gte: 1 },
        ],
        [
          { path: 'status', eq: 'pending' },
          { path: 'exit_code', exists: true },
        ],
      ],
    },
    ['buildFailed', 'dynoCrashed'],
  ],
  [
    'every part together',
    {
      types: ['lab.app.*'],
      resourceTypes: ['lab.app'],
      actions: ['created', 'destroyed'],
      resourceIds: [appB],
      where: [{ path: 'name', eq: 'billing-api' }],
      any: [[{ path: 'acm', eq: true }], [{ path: 'destroyed_at', exists: true }]],
    },
    ['billingCreated', 'billingDestroyed'],
  ],
];

/** Filters the gateway refuses, each with words its message must contain. */
const BAD_FILTERS: [string, Record<string, unknown>, string][] = [
  ['an empty list', { types: [] }, 'filter.types'],
  ["'*' not at the end", { types: ['app*.created'] }, 'app*.created'],
  ['a predicate without an operator', { where: [{ path: 'name' }] }, 'no operator'],
  [
    'a predicate with two operators',
    { where: [{ path: 'name', eq: 'a', prefix: 'a' }] },
    'several operators',
  ],
  ['an empty path segment', { where: [{ path: 'region..name', eq: 'eu' }] }, 'empty segment'],
  ['an object to compare with gt', { where: [{ path: 'quantity', gt: { n: 1 } }] }, 'gt'],
  ['an empty any group', { any: [[]] }, 'filter.any[0]'],
];

describe.each(LOG_MODES)('subscription filters on the $name log', (mode) => {
  let gateway: GatewayProcess;
  const idsByLabel = new Map<string, Label>();

  beforeAll(async () => {
    gateway = await startGatewayProcess({ brokers: mode.brokers() });
    await createStreamWithTypes(gateway, { name: STREAM, partitions: 1 }, TYPES);
    for (const [label, event] of Object.entries(SET)) {
      idsByLabel.set((await publishJson(gateway, event)).id, label as Label);
    }
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  test('each filter delivers exactly the events it selects, in log order', async () => {
    const run = randomUUID().slice(0, 8);
    // Half over each transport: filtering is the server's, whichever way events travel.
    const subscriptions: EventSubscription[] = CASES.map(([, filter], i) =>
      subscribeEvents(gateway, TRANSPORTS[i % TRANSPORTS.length]!, {
        streams: [STREAM],
        filter,
        from: { earliest: true },
      }),
    );
    const endMarker = (i: number) => `end-${run}-${i}`;
    for (const [i, [, , expected]] of CASES.entries()) {
      await publishJson(gateway, { ...SET[expected.at(-1)!]!, id: endMarker(i) });
    }

    const results = await Promise.all(
      subscriptions.map(async (subscription, i) => {
        await subscription.waitForEvent(
          (event) => event.id === endMarker(i),
          `the end marker of "${CASES[i]![0]}"`,
        );
        const ids = subscription.events.map((event) => event.id);
        const delivered = ids
          .slice(0, ids.indexOf(endMarker(i)))
          .filter((id) => !id.startsWith('end-'));
        return [CASES[i]![0], delivered.map((id) => idsByLabel.get(id) ?? id)];
      }),
    );
    expect(Object.fromEntries(results)).toEqual(
      Object.fromEntries(CASES.map(([name, , expected]) => [name, expected])),
    );
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    test.each(BAD_FILTERS)(
      'a filter with %s is refused with BAD_USER_INPUT',
      async (_what, filter, words) => {
        const subscription = subscribeEvents(gateway, transport, {
          streams: [STREAM],
          filter,
          from: { earliest: true },
        });
        const error = await subscription.firstError();
        expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
        expect(error.message).toContain(words);
        expect(subscription.events).toEqual([]);
      },
    );
  });
});
