/**
 * POST /events, the CloudEvents HTTP binding, end to end: structured, batch and binary mode go
 * in and come out over graphql-ws and graphql-sse as typed events with their attributes; the
 * binding's details (data_base64, percent-encoded headers, defaults for id and source, unknown
 * extensions); and every refusal as application/problem+json with its HTTP status.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  graphqlOk,
  LOG_MODES,
  platformExample,
  postEvents,
  publishJson,
  subscribeEvents,
  TRANSPORTS,
  publishFence,
  watchAfter,
  type Transport,
  type PublishResult,
  type ReceivedEvent,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

/** Typed data of the types these tests post (leaves of different enum types are aliased). */
const TYPED_DATA = `
  ... on ReleaseCreated { data { version description current } }
  ... on DomainCreated { data { hostname kind } }
  ... on FormationUpdated { data { quantity size previous { quantity } } }
  ... on ConfigVarsUpdated { data { added changed removed release { version } } }
  ... on CollaboratorCreated { data { role permissions user { email } } }
`;

const instant = (time: string) => new Date(time).getTime();
const STRUCTURED = { 'content-type': 'application/cloudevents+json' };

describe.each(LOG_MODES)('POST /events on the $name log', (mode) => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ brokers: mode.brokers() });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const fence = (resourceId: string) => publishFence(gateway, resourceId);

  const watch = (transport: Transport, resourceId: string, after: PublishResult) =>
    watchAfter(gateway, transport, resourceId, after, TYPED_DATA);

  describe.each(TRANSPORTS)('over %s', (transport) => {
    test('POST /events in structured, batch and binary mode arrives typed with the CloudEvents attributes', async () => {
      const resourceId = randomUUID();
      const subscription = watch(transport, resourceId, await fence(resourceId));

      const structured = await postEvents(
        gateway,
        {
          specversion: '1.0',
          type: 'release.created',
          id: `rel-${randomUUID()}`,
          source: 'https://deploy.example.com',
          subject: resourceId,
          time: '2025-03-14T09:27:41Z',
          tenant: 'acme',
          datacontenttype: 'application/json',
          data: platformExample('release.created'),
        },
        { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      );
      expect(structured.status).toBe(200);
      const batch = await postEvents(
        gateway,
        [
          {
            specversion: '1.0',
            type: 'domain.created',
            source: 'dns',
            subject: resourceId,
            data: platformExample('domain.created'),
          },
          {
            specversion: '1.0',
            type: 'formation.updated',
            source: 'ps',
            subject: resourceId,
            data: platformExample('formation.updated'),
          },
        ],
        { 'content-type': 'application/cloudevents-batch+json' },
      );
      expect(batch.status).toBe(200);
      expect(batch.body).toHaveLength(2);
      const binaryId = `cfg-${randomUUID()}`;
      const binary = await postEvents(gateway, platformExample('config_vars.updated'), {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-type': 'config_vars.updated',
        'ce-id': binaryId,
        // Percent-encoded, as the HTTP binding asks of header values.
        'ce-source': encodeURIComponent('config service/eu'),
        'ce-subject': resourceId,
      });
      expect(binary.status).toBe(200);
      const published = [structured.body, ...batch.body, binary.body] as PublishResult[];
      for (const result of published) {
        expect(result).toMatchObject({ stream: 'platform', partition: expect.any(Number) });
        expect(result.id).toEqual(expect.any(String));
      }

      const events = await subscription.collect(4);
      expect(events.map((e) => e.id)).toEqual(published.map((p) => p.id));
      for (const [i, event] of events.entries()) {
        expect(event.partition).toBe(published[i]!.partition);
        expect(String(event.offset)).toBe(String(published[i]!.offset));
      }
      const [release, domain, formation, config] = events as [
        ReceivedEvent,
        ReceivedEvent,
        ReceivedEvent,
        ReceivedEvent,
      ];
      expect(release).toMatchObject({
        __typename: 'ReleaseCreated',
        source: 'https://deploy.example.com',
        resourceId,
        tenant: 'acme',
        schemaVersion: 1,
        data: { version: 42, description: 'Deploy 1a2b3c4', current: true },
      });
      expect(instant(release.time)).toBe(instant('2025-03-14T09:27:41Z'));
      expect(domain).toMatchObject({
        __typename: 'DomainCreated',
        source: 'dns',
        data: { hostname: 'shop.example.com', kind: 'custom' },
      });
      expect(formation).toMatchObject({
        __typename: 'FormationUpdated',
        source: 'ps',
        data: { quantity: 4, size: 'Performance_M', previous: { quantity: 2 } },
      });
      expect(config).toMatchObject({
        __typename: 'ConfigVarsUpdated',
        id: binaryId,
        source: 'config service/eu',
        resourceId,
        payload: platformExample('config_vars.updated'),
        data: {
          added: ['STRIPE_API_KEY'],
          changed: ['WEB_CONCURRENCY'],
          removed: [],
          release: { version: 42 },
        },
      });
    });
  });

  test('the binding details: data_base64, defaults for id, source and time, unknown extensions ignored', async () => {
    const resourceId = randomUUID();
    const subscription = watch('graphql-ws', resourceId, await fence(resourceId));
    const data = platformExample('collaborator.created');
    const before = Date.now();
    const base64 = await postEvents(
      gateway,
      {
        specversion: '1.0',
        type: 'collaborator.created',
        subject: resourceId,
        // No id, source or time: the gateway makes an id, names the token, takes the time.
        data_base64: Buffer.from(JSON.stringify(data)).toString('base64'),
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        comexampleextension: 'ignored',
      },
      STRUCTURED,
    );
    const after = Date.now();
    expect(base64.status).toBe(200);
    const [event] = await subscription.collect(1);
    expect(event).toMatchObject({
      __typename: 'CollaboratorCreated',
      id: base64.body.id,
      source: 'admin',
      resourceId,
      payload: data,
      data: {
        role: 'member',
        permissions: ['view', 'deploy'],
        user: { email: 'contractor@example.org' },
      },
    });
    expect(event!.id).toMatch(/\S{8,}/);
    expect(instant(event!.time)).toBeGreaterThanOrEqual(before - 1000);
    expect(instant(event!.time)).toBeLessThanOrEqual(after + 1000);
    expect(event).not.toHaveProperty('traceparent');
  });

  test('malformed CloudEvents are refused with 400, naming the attribute or the batch element', async () => {
    const valid = {
      specversion: '1.0',
      type: 'app.created',
      source: 's',
      data: platformExample('app.created'),
    };
    const cases: [string, Promise<Awaited<ReturnType<typeof postEvents>>>, string][] = [
      [
        'specversion 0.3',
        postEvents(gateway, { ...valid, specversion: '0.3' }, STRUCTURED),
        'specversion',
      ],
      [
        'time not RFC 3339',
        postEvents(gateway, { ...valid, time: 'yesterday' }, STRUCTURED),
        'time',
      ],
      [
        'dataschema of another type',
        postEvents(
          gateway,
          { ...valid, dataschema: 'urn:streamgate:schema:build.created:1' },
          STRUCTURED,
        ),
        'dataschema',
      ],
      [
        'non-JSON datacontenttype',
        postEvents(gateway, { ...valid, datacontenttype: 'text/plain' }, STRUCTURED),
        'datacontenttype',
      ],
      [
        'a bad batch element',
        postEvents(gateway, [valid, { ...valid, type: '' }], {
          'content-type': 'application/cloudevents-batch+json',
        }),
        '[1]',
      ],
      [
        'a batch that is no array',
        postEvents(gateway, valid, { 'content-type': 'application/cloudevents-batch+json' }),
        'array',
      ],
      [
        'binary mode without ce-type',
        postEvents(gateway, platformExample('app.created'), {
          'content-type': 'application/json',
          'ce-specversion': '1.0',
        }),
        'ce-type',
      ],
    ];
    for (const [what, pending, words] of cases) {
      const response = await pending;
      expect({ what, status: response.status, code: response.body?.code }).toEqual({
        what,
        status: 400,
        code: 'BAD_USER_INPUT',
      });
      expect(response.contentType, what).toMatch(/^application\/problem\+json/);
      expect(response.body.detail, what).toContain(words);
    }
  });

  test('POST /events answers each refusal as application/problem+json with its status', async () => {
    const structured = STRUCTURED;
    const valid = {
      specversion: '1.0',
      type: 'app.created',
      source: 's',
      data: platformExample('app.created'),
    };
    const subscribeOnly = await graphqlOk(
      gateway,
      'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
      { input: { name: 'dashboard', grants: [{ stream: 'platform', operations: ['SUBSCRIBE'] }] } },
    );
    const slow = await graphqlOk(
      gateway,
      'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
      {
        input: {
          name: 'slow-publisher',
          publishPerSecond: 0.01,
          grants: [{ stream: 'platform', operations: ['PUBLISH'] }],
        },
      },
    );

    // The first publish may spend the whole (tiny) burst; the next one is over the rate.
    expect((await postEvents(gateway, valid, structured, slow.issueToken.token)).status).toBe(200);

    const cases: [string, Promise<Awaited<ReturnType<typeof postEvents>>>, number, string][] = [
      ['malformed JSON', postEvents(gateway, '{"specversion":', structured), 400, 'BAD_USER_INPUT'],
      [
        'no specversion',
        postEvents(gateway, { ...valid, specversion: undefined }, structured),
        400,
        'BAD_USER_INPUT',
      ],
      ['no token', postEvents(gateway, valid, structured, null), 401, 'UNAUTHENTICATED'],
      [
        'no PUBLISH grant',
        postEvents(gateway, valid, structured, subscribeOnly.issueToken.token),
        403,
        'FORBIDDEN',
      ],
      [
        'unknown type',
        postEvents(gateway, { ...valid, type: 'app.teleported' }, structured),
        404,
        'NOT_FOUND',
      ],
      [
        'invalid data',
        postEvents(gateway, { ...valid, data: { name: 'x' } }, structured),
        422,
        'VALIDATION_FAILED',
      ],
      [
        'over the rate limit',
        postEvents(gateway, valid, structured, slow.issueToken.token),
        429,
        'RATE_LIMITED',
      ],
    ];
    for (const [what, pending, status, code] of cases) {
      const response = await pending;
      expect({ what, status: response.status }).toEqual({ what, status });
      expect(response.contentType, what).toMatch(/^application\/problem\+json/);
      expect(response.body, what).toMatchObject({
        status,
        code,
        title: expect.any(String),
        detail: expect.any(String),
      });
      if (status === 429)
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });
});
