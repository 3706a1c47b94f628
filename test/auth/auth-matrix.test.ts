/**
 * Every operation of the API against every shape of credentials: what is allowed succeeds, what
 * is refused fails with exactly FORBIDDEN or UNAUTHENTICATED (a WebSocket without a valid token
 * closes with 4403). Each test builds the table of what happened and compares it whole, so a
 * failure shows every cell that differs at once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import {
  codesOf,
  setupStream,
  startTestGateway,
  type Caller,
  type GraphqlResponse,
  type TestGateway,
} from './auth-harness.js';
import { collect } from './subscription-probe.js';

const KEYS = [
  'none',
  'exact',
  'prefix',
  'typed',
  'manage',
  'admin',
  'tenant',
  'expired',
  'revoked',
  'wrong-secret',
  'missing',
] as const;
type Key = (typeof KEYS)[number];
const INVALID: readonly Key[] = ['expired', 'revoked', 'wrong-secret', 'missing'];
type Table = Record<Key, unknown>;

/** Fills the cells of the four invalid credentials with `invalid`, the rest from `valid`. */
function table(
  valid: Record<Exclude<Key, (typeof INVALID)[number]>, unknown>,
  invalid: unknown = 'UNAUTHENTICATED',
): Table {
  return {
    ...valid,
    expired: invalid,
    revoked: invalid,
    'wrong-secret': invalid,
    missing: invalid,
  } as Table;
}

const ORDERS_GRANT = { stream: 'orders', operations: ['PUBLISH', 'SUBSCRIBE'] } as const;
const FORBIDDEN = 'FORBIDDEN';
const OK = 'OK';

describe('authorization matrix', () => {
  let gw: TestGateway;
  const callers = new Map<Key, () => Caller>();
  let wrongSecretAddresses = 0;

  async function outcomes(run: (key: Key, caller: Caller) => Promise<unknown>): Promise<Table> {
    const result = {} as Table;
    for (const key of KEYS) result[key] = await run(key, callers.get(key)!());
    return result;
  }

  /** The error codes, or what `pick` makes of the data when there are none. */
  function outcomeOf(response: GraphqlResponse, pick: (data: any) => unknown = () => OK): unknown {
    const codes = codesOf(response);
    return codes[0] === OK ? pick(response.data) : codes.join(',');
  }

  beforeAll(async () => {
    gw = await startTestGateway();
    await setupStream(gw, 'orders', ['order.created', 'order.shipped'], undefined, 1);
    await setupStream(gw, 'team-a.orders', ['shipment.created']);
    // One partition, so "from earliest" delivers these first, in this order.
    const seeds = [
      { type: 'order.shipped', tenant: 'globex' },
      { type: 'order.created', tenant: 'globex' },
      { type: 'order.shipped', tenant: 'acme' },
      { type: 'order.created', tenant: 'acme' },
    ];
    for (const [index, seed] of seeds.entries()) {
      const published = await gw.graphql(
        `mutation ($e: PublishJsonInput!) { publishJson(event: $e) { id } }`,
        {
          e: { ...seed, resourceId: `seed-${index}`, data: { orderId: `seed-${index}` } },
        },
      );
      expect(codesOf(published)).toEqual([OK]);
    }

    const shipment = await gw.graphql(
      `mutation { publishJson(event: { type: "shipment.created", resourceId: "seed-s", data: { orderId: "seed-s" } }) { id } }`,
    );
    expect(codesOf(shipment)).toEqual([OK]);

    // Taken when the token is issued: on a loaded machine issuing the tokens before it can take
    // longer than its lifetime, and a token may not be issued already expired.
    const expiresAt = () => new Date(Date.now() + 2_000).toISOString();
    const issued = {
      none: await gw.issue({ name: 'none', grants: [] }),
      exact: await gw.issue({ name: 'exact', grants: [ORDERS_GRANT] }),
      prefix: await gw.issue({
        name: 'prefix',
        grants: [{ stream: 'team-a.*', operations: ['PUBLISH', 'SUBSCRIBE'] }],
      }),
      typed: await gw.issue({
        name: 'typed',
        grants: [{ ...ORDERS_GRANT, types: ['order.created'] }],
      }),
      manage: await gw.issue({
        name: 'manage',
        grants: [{ stream: 'team-a.*', operations: ['MANAGE'] }],
      }),
      tenant: await gw.issue({ name: 'tenant', tenant: 'acme', grants: [ORDERS_GRANT] }),
      expired: await gw.issue({ name: 'expired', grants: [ORDERS_GRANT], expiresAt: expiresAt() }),
      revoked: await gw.issue({ name: 'revoked', grants: [ORDERS_GRANT] }),
    };
    for (const [key, { token }] of Object.entries(issued))
      callers.set(key as Key, () => ({ token }));
    callers.set('admin', () => gw.admin);
    callers.set('missing', () => ({ token: null }));
    // The real id with another secret. Each attempt comes from an address of its own, so the
    // failed-authentication throttle (tested on its own) never turns these into RATE_LIMITED.
    const wrongSecret = `sg_${issued.exact.id}_${randomBytes(32).toString('base64url')}`;
    callers.set('wrong-secret', () => {
      wrongSecretAddresses += 1;
      return {
        token: wrongSecret,
        address: `127.77.${wrongSecretAddresses >> 8}.${wrongSecretAddresses & 255}`,
      };
    });

    const revoked = await gw.graphql(`mutation ($id: ID!) { revokeToken(id: $id) }`, {
      id: issued.revoked.id,
    });
    expect(revoked.data).toEqual({ revokeToken: true });
    await waitFor(
      async () =>
        codesOf(await gw.graphql('{ me { name } }', {}, { token: issued.expired.token }))[0] ===
        'UNAUTHENTICATED',
      {
        what: 'the short-lived token to expire',
      },
    );
  });
  afterAll(() => gw?.close());

  it('me: every valid token sees itself; invalid ones are UNAUTHENTICATED', async () => {
    const actual = await outcomes(async (_key, caller) =>
      outcomeOf(await gw.graphql('{ me { name admin tenant } }', {}, caller), (d) => d.me),
    );
    const me = (name: string, tenant: string | null = null) => ({
      name,
      admin: name === 'admin',
      tenant,
    });
    expect(actual).toEqual(
      table({
        none: me('none'),
        exact: me('exact'),
        prefix: me('prefix'),
        typed: me('typed'),
        manage: me('manage'),
        admin: me('admin'),
        tenant: me('tenant', 'acme'),
      }),
    );
  });

  it('streams: each token sees only the streams it holds a grant on', async () => {
    const actual = await outcomes(async (_key, caller) =>
      outcomeOf(await gw.graphql('{ streams { name } }', {}, caller), (d) =>
        d.streams.map((s: { name: string }) => s.name).sort(),
      ),
    );
    expect(actual).toEqual(
      table({
        none: [],
        exact: ['orders'],
        prefix: ['team-a.orders'],
        typed: ['orders'],
        manage: ['team-a.orders'],
        admin: ['orders', 'platform', 'team-a.orders'],
        tenant: ['orders'],
      }),
    );
  });

  it('stream and eventType: a stream or type without a grant reads as absent, and type grants hide the other types', async () => {
    const query = `{
      orders: stream(name: "orders") { name eventTypes { type } }
      shipped: eventType(type: "order.shipped") { type }
      shipment: eventType(type: "shipment.created") { type }
    }`;
    const actual = await outcomes(async (_key, caller) =>
      outcomeOf(await gw.graphql(query, {}, caller), (d) => ({
        orders: d.orders?.eventTypes.map((t: { type: string }) => t.type).sort() ?? null,
        shipped: d.shipped !== null,
        shipment: d.shipment !== null,
      })),
    );
    const all = ['order.created', 'order.shipped'];
    expect(actual).toEqual(
      table({
        none: { orders: null, shipped: false, shipment: false },
        exact: { orders: all, shipped: true, shipment: false },
        prefix: { orders: null, shipped: false, shipment: true },
        typed: { orders: ['order.created'], shipped: false, shipment: false },
        manage: { orders: null, shipped: false, shipment: true },
        admin: { orders: all, shipped: true, shipment: true },
        tenant: { orders: all, shipped: true, shipment: false },
      }),
    );
  });

  it('events subscription over WebSocket: refused with FORBIDDEN; no valid token closes the socket with 4403', async () => {
    const actual = await outcomes(async (_key, caller) => {
      const probe = collect(
        gw.wsClient(caller),
        `subscription { events(streams: ["orders"], from: { earliest: true }) { type tenant } }`,
      );
      await waitFor(() => probe.events.length > 0 || probe.ended || probe.closeCode !== undefined, {
        what: 'a first result',
      });
      probe.dispose();
      if (probe.events.length > 0) return probe.events[0];
      return probe.errorCodes.join(',') || `closed ${probe.closeCode}`;
    });
    expect(actual).toEqual(
      table(
        {
          none: FORBIDDEN,
          exact: { type: 'order.shipped', tenant: 'globex' },
          prefix: FORBIDDEN,
          // Its type grant filters; its first event is the first order.created.
          typed: { type: 'order.created', tenant: 'globex' },
          manage: FORBIDDEN,
          admin: { type: 'order.shipped', tenant: 'globex' },
          // Its tenant is ANDed into the filter: the first acme event.
          tenant: { type: 'order.shipped', tenant: 'acme' },
        },
        'closed 4403',
      ),
    );
  });

  it('events subscription over SSE: refused with the GraphQL error FORBIDDEN or UNAUTHENTICATED on the event stream, not an HTTP error', async () => {
    const actual = await outcomes(async (_key, caller) => {
      const probe = collect(
        gw.sseClient(caller),
        `subscription { events(streams: ["team-a.orders"], from: { earliest: true }) { type } }`,
      );
      await waitFor(() => probe.events.length > 0 || probe.ended, { what: 'a first result' });
      probe.dispose();
      if (probe.events.length > 0) return probe.events[0].type;
      // graphql-sse reports an HTTP refusal as a network error; a refusal in the stream reaches
      // the client's `next` as the GraphQL error with its code.
      const how = probe.httpStatus === undefined ? 'in-stream' : `HTTP ${probe.httpStatus}`;
      return `${how} ${probe.errorCodes.join(',') || String(probe.failure)}`;
    });
    const seeded = 'shipment.created';
    const forbidden = 'in-stream FORBIDDEN';
    expect(actual).toEqual(
      table(
        {
          none: forbidden,
          exact: forbidden,
          prefix: seeded,
          typed: forbidden,
          manage: forbidden,
          admin: seeded,
          tenant: forbidden,
        },
        'in-stream UNAUTHENTICATED',
      ),
    );
  });

  it('publish (typed), publishJson, publishBatch: only PUBLISH grants covering the stream and every type', async () => {
    const ops = {
      typed: `mutation { publish(event: { orderCreated: { resourceId: "m-1", data: { orderId: "m-1" } } }) { id } }`,
      json: `mutation { publishJson(event: { type: "order.shipped", resourceId: "m-2", data: { orderId: "m-2" } }) { id } }`,
      batch: `mutation { publishBatch(events: [
        { type: "order.created", resourceId: "m-3", data: { orderId: "m-3" } },
        { type: "order.shipped", resourceId: "m-4", data: { orderId: "m-4" } }
      ]) { id } }`,
      team: `mutation { publishJson(event: { type: "shipment.created", resourceId: "s-1", data: { orderId: "s-1" } }) { id } }`,
    };
    const actual = await outcomes(async (_key, caller) => {
      const row: Record<string, unknown> = {};
      for (const [name, query] of Object.entries(ops))
        row[name] = outcomeOf(await gw.graphql(query, {}, caller));
      return row;
    });
    const row = (typed: string, json: string, batch: string, team: string) => ({
      typed,
      json,
      batch,
      team,
    });
    // A token's schema holds only the event types it may see (scoped introspection): the typed
    // publish of a type it cannot see fails validation as an unknown type would; FORBIDDEN
    // would tell it that the type exists.
    const unseen = 'BAD_USER_INPUT';
    const refused = row(unseen, FORBIDDEN, FORBIDDEN, FORBIDDEN);
    const invalid = 'UNAUTHENTICATED';
    expect(actual).toEqual(
      table(
        {
          none: refused,
          exact: row(OK, OK, OK, FORBIDDEN),
          prefix: row(unseen, FORBIDDEN, FORBIDDEN, OK),
          // One event of a type outside its grant refuses the whole batch.
          typed: row(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
          manage: refused,
          admin: row(OK, OK, OK, OK),
          tenant: row(OK, OK, OK, FORBIDDEN),
        },
        row(invalid, invalid, invalid, invalid),
      ),
    );
  });

  it('POST /events answers 200, or problem+json 403 FORBIDDEN / 401 UNAUTHENTICATED', async () => {
    const actual = await outcomes(async (key, caller) => {
      const { status, body } = await gw.postEvents(
        {
          specversion: '1.0',
          id: `ce-${key}`,
          source: 'matrix',
          type: 'order.created',
          subject: `ce-${key}`,
          data: { orderId: key },
        },
        caller,
      );
      return status === 200 ? OK : `${status} ${body?.code}`;
    });
    expect(actual).toEqual(
      table(
        {
          none: '403 FORBIDDEN',
          exact: OK,
          prefix: '403 FORBIDDEN',
          typed: OK,
          manage: '403 FORBIDDEN',
          admin: OK,
          tenant: OK,
        },
        '401 UNAUTHENTICATED',
      ),
    );
  });

  it('a refused publish writes nothing', async () => {
    // Allowed above: typed 4 (exact, typed, admin, tenant) + json 3 + batch 3×2 + POST 4 = 17.
    const marker = await gw.graphql(
      `mutation { publishJson(event: { type: "order.created", resourceId: "marker", data: { orderId: "marker" } }) { id } }`,
    );
    const markerId = marker.data.publishJson.id as string;
    const probe = collect(
      gw.wsClient(gw.admin),
      `subscription { events(streams: ["orders"], from: { earliest: true }) { id resourceId } }`,
    );
    await waitFor(() => probe.events.some((e) => e.id === markerId), { what: 'the marker event' });
    probe.dispose();
    const published = probe.events.slice(
      0,
      probe.events.findIndex((e) => e.id === markerId),
    );
    expect(published.filter((e) => !String(e.resourceId).startsWith('seed-'))).toHaveLength(17);
    expect(published.map((e) => e.resourceId)).not.toContain('ce-none');
  });

  it('createStream and registerEventType: only MANAGE on the name', async () => {
    const actual = await outcomes(async (key, caller) => {
      const name = `team-a.new-${key}`;
      const created = outcomeOf(
        await gw.graphql(
          `mutation ($input: CreateStreamInput!) { createStream(input: $input) { name } }`,
          { input: { name } },
          caller,
        ),
      );
      const registered = outcomeOf(
        await gw.graphql(
          `mutation ($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type } }`,
          {
            input: {
              type: `${key.replace('-', '')}.registered`,
              stream: 'team-a.orders',
              schema: { type: 'object' },
            },
          },
          caller,
        ),
      );
      return { created, registered };
    });
    const refused = { created: FORBIDDEN, registered: FORBIDDEN };
    const allowed = { created: OK, registered: OK };
    expect(actual).toEqual(
      table(
        {
          none: refused,
          exact: refused,
          prefix: refused,
          typed: refused,
          manage: allowed,
          admin: allowed,
          tenant: refused,
        },
        { created: 'UNAUTHENTICATED', registered: 'UNAUTHENTICATED' },
      ),
    );
  });

  it('issueToken and revokeToken: only a MANAGE grant covering the grants involved', async () => {
    const teamManage = [{ stream: 'team-a.orders', operations: ['MANAGE'] as const }];
    const actual = await outcomes(async (key, caller) => {
      const issued = outcomeOf(
        await gw.graphql(
          `mutation ($input: IssueTokenInput!) { issueToken(input: $input) { id } }`,
          { input: { name: `by-${key}`, grants: teamManage } },
          caller,
        ),
      );
      const victim = await gw.issue({ name: `victim-of-${key}`, grants: teamManage });
      const revoked = outcomeOf(
        await gw.graphql(`mutation ($id: ID!) { revokeToken(id: $id) }`, { id: victim.id }, caller),
        (d) => (d.revokeToken ? OK : 'false'),
      );
      return { issued, revoked };
    });
    const refused = { issued: FORBIDDEN, revoked: FORBIDDEN };
    const allowed = { issued: OK, revoked: OK };
    expect(actual).toEqual(
      table(
        // The tenant token holds no MANAGE, and may not touch tokens of no tenant either.
        {
          none: refused,
          exact: refused,
          prefix: refused,
          typed: refused,
          manage: allowed,
          admin: allowed,
          tenant: refused,
        },
        { issued: 'UNAUTHENTICATED', revoked: 'UNAUTHENTICATED' },
      ),
    );
  });
});

describe('a team token (MANAGE, PUBLISH, SUBSCRIBE on team-b.*)', () => {
  let gw: TestGateway;
  let team: Caller;

  beforeAll(async () => {
    gw = await startTestGateway();
    await setupStream(gw, 'orders', ['order.created']);
    const { token } = await gw.issue({
      name: 'team-b',
      grants: [{ stream: 'team-b.*', operations: ['MANAGE', 'PUBLISH', 'SUBSCRIBE'] }],
    });
    team = { token };
  });
  afterAll(() => gw?.close());

  const createStream = (name: string) =>
    gw.graphql(
      `mutation ($input: CreateStreamInput!) { createStream(input: $input) { name } }`,
      { input: { name, partitions: 1 } },
      team,
    );
  const register = (type: string, stream: string) =>
    gw.graphql(
      `mutation ($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type version } }`,
      {
        input: {
          type,
          stream,
          schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        },
      },
      team,
    );
  const issue = (input: Record<string, unknown>) =>
    gw.graphql(
      `mutation ($input: IssueTokenInput!) { issueToken(input: $input) { id token } }`,
      { input: { name: 'sub', ...input } },
      team,
    );

  it('creates its streams and registers types on them, and nowhere else', async () => {
    expect(codesOf(await createStream('team-b.orders'))).toEqual([OK]);
    expect(codesOf(await register('parcel.sent', 'team-b.orders'))).toEqual([OK]);
    expect(codesOf(await createStream('team-c.orders'))).toEqual([FORBIDDEN]);
    expect(codesOf(await createStream('team-bx'))).toEqual([FORBIDDEN]);
    expect(codesOf(await register('parcel.lost', 'orders'))).toEqual([FORBIDDEN]);
    const streams = await gw.graphql('{ streams { name } }', {}, team);
    expect(streams.data.streams).toEqual([{ name: 'team-b.orders' }]);
  });

  it('issues tokens within its grants, and those tokens work', async () => {
    const narrow = await issue({
      grants: [{ stream: 'team-b.orders', operations: ['SUBSCRIBE'], types: ['parcel.*'] }],
    });
    expect(codesOf(narrow)).toEqual([OK]);
    const tenantToken = await issue({
      tenant: 'acme',
      grants: [{ stream: 'team-b.*', operations: ['PUBLISH', 'SUBSCRIBE'] }],
    });
    expect(codesOf(tenantToken)).toEqual([OK]);

    const probe = collect(
      gw.wsClient({ token: narrow.data.issueToken.token }),
      `subscription { events(streams: ["team-b.orders"], from: { earliest: true }) { type } }`,
    );
    const published = await gw.graphql(
      `mutation { publishJson(event: { type: "parcel.sent", resourceId: "p-1", data: { id: "p-1" } }) { id } }`,
      {},
      { token: tenantToken.data.issueToken.token },
    );
    expect(codesOf(published)).toEqual([OK]);
    // The narrow token (no tenant) sees the event the tenant token published.
    await waitFor(() => probe.events.length > 0, { what: 'the event on the sub-token' });
    expect(probe.events[0]).toEqual({ type: 'parcel.sent' });
    probe.dispose();
  });

  it('is refused wider grants, other streams, and higher limits with FORBIDDEN', async () => {
    const wider = [
      { grants: [{ stream: 'team-*', operations: ['SUBSCRIBE'] }] },
      { grants: [{ stream: '*', operations: ['SUBSCRIBE'] }] },
      { grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }] },
      { grants: [{ stream: 'team-c.orders', operations: ['PUBLISH'] }] },
      { publishPerSecond: 5_000, grants: [{ stream: 'team-b.orders', operations: ['SUBSCRIBE'] }] },
    ];
    for (const input of wider)
      expect({ input, codes: codesOf(await issue(input)) }).toEqual({ input, codes: [FORBIDDEN] });
  });

  it('may revoke itself, after which it is UNAUTHENTICATED', async () => {
    const { id, token } = await gw.issue({
      name: 'short',
      grants: [{ stream: 'team-b.orders', operations: ['SUBSCRIBE'] }],
    });
    const revoked = await gw.graphql(
      `mutation ($id: ID!) { revokeToken(id: $id) }`,
      { id },
      { token },
    );
    expect(revoked.data).toEqual({ revokeToken: true });
    expect(codesOf(await gw.graphql('{ me { name } }', {}, { token }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});
