/**
 * Publish and subscribe end to end: the gateway runs as a process (on its embedded log, then on
 * the run's Kafka broker); events go in through the GraphQL mutations (publishJson, the typed
 * publish, publishBatch) and come out over graphql-ws and graphql-sse with their typed data and
 * envelope; refused publishes (invalid, too large, unknown type) write nothing.
 * POST /events is covered by cloudevents.test.ts.
 *
 * Each test works on resource ids of its own on the shared `platform` stream, and subscribes
 * from the cursor of a "fence" event it published first: a subscription started `after` a
 * cursor has a settled start, so nothing depends on how fast it is set up.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  graphqlOk,
  LOG_MODES,
  platformExample,
  postEvents,
  publishBatch,
  publishJson,
  PUBLISH_RESULT_FIELDS,
  subscribeEvents,
  TRANSPORTS,
  publishFence,
  watchAfter,
  type Transport,
  type PublishResult,
  type ReceivedEvent,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

/** Typed data of the types these tests publish (leaves of different enum types are aliased). */
const TYPED_DATA = `
  ... on AppCreated { data { id name region { name } stack { name } owner { email } team { name } acm created_at } }
  ... on BuildCreated { data { status source_blob { version } buildpacks { url } app { name } } }
  ... on DynoCrashed { data { name error_code dynoSize: size reason } }
  ... on ReleaseCreated { data { version description current } }
  ... on DomainCreated { data { hostname kind } }
  ... on FormationUpdated { data { quantity size previous { quantity } } }
  ... on ConfigVarsUpdated { data { added changed removed release { version } } }
  ... on AppDestroyed { data { name destroyed_at } }
`;

const instant = (time: string) => new Date(time).getTime();

describe.each(LOG_MODES)('publish and subscribe on the $name log', (mode) => {
  let gateway: GatewayProcess;
  /** A service's token: it may publish and subscribe on `platform`, and is named. */
  let serviceToken: string;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ brokers: mode.brokers() });
    const issued = await graphqlOk(
      gateway,
      'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
      {
        input: {
          name: 'billing-service',
          grants: [{ stream: 'platform', operations: ['PUBLISH', 'SUBSCRIBE'] }],
        },
      },
    );
    serviceToken = issued.issueToken.token;
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const fence = (resourceId: string) => publishFence(gateway, resourceId);

  const watch = (transport: Transport, resourceId: string, after: PublishResult) =>
    watchAfter(gateway, transport, resourceId, after, TYPED_DATA);

  /** What every received event must say about where it was written. */
  function expectLanded(event: ReceivedEvent, published: PublishResult) {
    expect(event).toMatchObject({
      id: published.id,
      type: published.type,
      stream: 'platform',
      partition: published.partition,
      offset: published.offset,
    });
    expect(event.cursor).toMatch(/^v1\./);
  }

  describe.each(TRANSPORTS)('over %s', (transport) => {
    test('publishJson, the typed publish and publishBatch arrive in order with typed data and envelope', async () => {
      const resourceId = randomUUID();
      const subscription = watch(transport, resourceId, await fence(resourceId));

      const appCreated = platformExample('app.created');
      const explicit = await publishJson(gateway, {
        type: 'app.created',
        data: appCreated,
        resourceId,
        id: `evt-${randomUUID()}`,
        time: '2025-03-14T09:26:53Z',
        source: 'https://api.example.com/apps',
        tenant: 'acme',
      });
      // The typed input names enum values as GraphQL does: heroku-24 is heroku_24.
      const stack = { ...appCreated['stack'], name: 'heroku_24' };
      const before = Date.now();
      const typed = await graphqlOk(
        gateway,
        `mutation($event: PublishInput!) { publish(event: $event) { ${PUBLISH_RESULT_FIELDS} } }`,
        {
          event: {
            appCreated: {
              resourceId,
              data: { ...appCreated, name: 'example-store', stack, build_stack: stack },
            },
          },
        },
        serviceToken,
      );
      const after = Date.now();
      const batch = await publishBatch(gateway, [
        { type: 'build.created', data: platformExample('build.created'), resourceId },
        { type: 'dyno.crashed', data: platformExample('dyno.crashed'), resourceId },
      ]);
      const published: PublishResult[] = [explicit, typed.publish, ...batch];
      expect(published.map((p) => p.type)).toEqual([
        'app.created',
        'app.created',
        'build.created',
        'dyno.crashed',
      ]);

      // One resource id: one partition, so they arrive in publish order.
      const events = await subscription.collect(4);
      events.forEach((event, i) => expectLanded(event, published[i]!));

      const [first, second, build, dyno] = events as [
        ReceivedEvent,
        ReceivedEvent,
        ReceivedEvent,
        ReceivedEvent,
      ];
      expect(first).toMatchObject({
        __typename: 'AppCreated',
        resourceType: 'app',
        action: 'created',
        resourceId,
        source: 'https://api.example.com/apps',
        tenant: 'acme',
        schemaVersion: 1,
        payload: appCreated,
        data: {
          id: appCreated['id'],
          name: 'example-shop',
          region: { name: 'us' },
          stack: { name: 'heroku_24' },
          owner: { email: 'dev@example.com' },
          team: null,
          acm: false,
        },
      });
      expect(instant(first.time)).toBe(instant('2025-03-14T09:26:53Z'));
      expect(instant(first.data.created_at)).toBe(instant(appCreated['created_at']));

      // Defaults: a fresh id, the token's name as source, the publish time, no tenant.
      expect(second.id).not.toBe(first.id);
      expect(second).toMatchObject({
        __typename: 'AppCreated',
        source: 'billing-service',
        tenant: null,
        data: { name: 'example-store', stack: { name: 'heroku_24' } },
      });
      // The log holds the JSON Schema's value, not the GraphQL enum name.
      expect(second.payload).toMatchObject({ name: 'example-store', stack: { name: 'heroku-24' } });
      expect(instant(second.time)).toBeGreaterThanOrEqual(before - 1000);
      expect(instant(second.time)).toBeLessThanOrEqual(after + 1000);

      expect(build).toMatchObject({
        __typename: 'BuildCreated',
        resourceType: 'build',
        action: 'created',
        source: 'admin',
        payload: platformExample('build.created'),
        data: {
          status: 'pending',
          source_blob: { version: '1a2b3c4' },
          buildpacks: [{ url: 'heroku/nodejs' }],
          app: { name: 'example-shop' },
        },
      });
      expect(dyno).toMatchObject({
        __typename: 'DynoCrashed',
        resourceType: 'dyno',
        action: 'crashed',
        data: { name: 'web.1', error_code: 'R10', dynoSize: 'Standard_1X' },
      });
      expect(new Set(events.map((e) => e.cursor)).size).toBe(4);
      // And nothing else: an event published after them on the same key comes right after.
      const end = await fence(resourceId);
      await subscription.waitForEvent((event) => event.id === end.id, 'the end fence');
      expect(subscription.events.map((e) => e.id)).toEqual([...published.map((p) => p.id), end.id]);
    });
  });

  /**
   * Proves that nothing of `resourceId` was written before a sentinel: read from earliest, the
   * first event of the resource is the sentinel (same key, same partition, so anything written
   * before it would come first).
   */
  async function expectNothingWritten(resourceId: string) {
    const sentinel = await fence(resourceId);
    const subscription = subscribeEvents(gateway, 'graphql-ws', {
      streams: ['platform'],
      filter: { resourceIds: [resourceId] },
      from: { earliest: true },
    });
    const [first] = await subscription.collect(1);
    expect(first!.id).toBe(sentinel.id);
  }

  test('a batch with one invalid event fails with VALIDATION_FAILED naming it, and writes nothing', async () => {
    const resourceId = randomUUID();
    const response = await gateway.graphql(
      `mutation($events: [PublishJsonInput!]!) { publishBatch(events: $events) { id } }`,
      {
        events: [
          { type: 'app.created', data: platformExample('app.created'), resourceId },
          {
            type: 'build.created',
            data: platformExample('build.created', { status: 'exploded' }),
            resourceId,
          },
          { type: 'dyno.crashed', data: platformExample('dyno.crashed'), resourceId },
        ],
      },
    );
    expect(response.data ?? null).toBeNull();
    const [error] = response.errors!;
    expect(error.extensions.code).toBe('VALIDATION_FAILED');
    expect(error.extensions.index).toBe(1);
    expect(error.extensions.errors).toEqual(
      expect.arrayContaining([
        { path: expect.stringContaining('status'), message: expect.any(String) },
      ]),
    );

    const posted = await postEvents(
      gateway,
      [
        {
          specversion: '1.0',
          type: 'app.created',
          source: 's',
          subject: resourceId,
          data: platformExample('app.created'),
        },
        {
          specversion: '1.0',
          type: 'build.created',
          source: 's',
          subject: resourceId,
          data: { id: 42 },
        },
      ],
      { 'content-type': 'application/cloudevents-batch+json' },
    );
    expect(posted.status).toBe(422);
    expect(posted.contentType).toMatch(/^application\/problem\+json/);
    expect(posted.body).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    expect(posted.body.errors.length).toBeGreaterThan(0);

    await expectNothingWritten(resourceId);
  });

  test('an event over the size limit fails with PAYLOAD_TOO_LARGE and writes nothing', async () => {
    const resourceId = randomUUID();
    // Over the default 1 MiB limit on one event's data.
    const data = platformExample('release.created', { description: 'x'.repeat(1_100_000) });
    const response = await gateway.graphql(
      'mutation($event: PublishJsonInput!) { publishJson(event: $event) { id } }',
      { event: { type: 'release.created', data, resourceId } },
    );
    expect(response.errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const posted = await postEvents(
      gateway,
      { specversion: '1.0', type: 'release.created', source: 's', subject: resourceId, data },
      { 'content-type': 'application/cloudevents+json' },
    );
    expect(posted.status).toBe(413);
    expect(posted.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });

    await expectNothingWritten(resourceId);
  });

  test('an unregistered event type is NOT_FOUND, alone or in a batch, and writes nothing', async () => {
    const resourceId = randomUUID();
    const single = await gateway.graphql(
      'mutation($event: PublishJsonInput!) { publishJson(event: $event) { id } }',
      { event: { type: 'app.teleported', data: platformExample('app.created'), resourceId } },
    );
    expect(single.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect(single.errors?.[0]?.message).toContain('app.teleported');
    const batch = await gateway.graphql(
      'mutation($events: [PublishJsonInput!]!) { publishBatch(events: $events) { id } }',
      {
        events: [
          { type: 'app.created', data: platformExample('app.created'), resourceId },
          { type: 'app.teleported', data: {}, resourceId },
        ],
      },
    );
    expect(batch.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const posted = await postEvents(
      gateway,
      { specversion: '1.0', type: 'app.teleported', source: 's', subject: resourceId, data: {} },
      { 'content-type': 'application/cloudevents+json' },
    );
    expect(posted.status).toBe(404);
    expect(posted.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });

    await expectNothingWritten(resourceId);
  });
});
