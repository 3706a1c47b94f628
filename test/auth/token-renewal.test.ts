/**
 * Token renewal over an open WebSocket (shared/API.md "Token renewal"): `authenticate(token)`
 * replaces the connection's token; subscriptions the new token still grants go on with no gap,
 * the others end with FORBIDDEN; revocation and expiry then follow the new token.
 */
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/grants.js';
import { defaultRateLimits } from '../../src/auth/rate-limit.js';
import { createSubscriptionTracker } from '../../src/auth/subscription-tracker.js';
import { createTokenSession, stillGranted } from '../../src/auth/token-session.js';
import { gatewayError } from '../../src/errors.js';
import { waitFor } from '../support/wait-for.js';
import {
  codesOf,
  publishUntilLive,
  setupStream,
  startTestGateway,
  type TestGateway,
} from './auth-harness.js';
import { collect } from './subscription-probe.js';

function principal(
  tokenId: string,
  grants: Principal['grants'],
  tenant: string | null = null,
): Principal {
  return {
    tokenId,
    name: tokenId,
    admin: false,
    tenant,
    grants,
    expiresAt: null,
    limits: defaultRateLimits,
  };
}

describe('stillGranted', () => {
  const wide = principal('wide', [{ stream: 'orders*', operations: ['SUBSCRIBE'] }]);
  const ordersOnly = principal('narrow', [{ stream: 'orders', operations: ['SUBSCRIBE'] }]);
  const createdOnly = principal('typed', [
    { stream: 'orders', operations: ['SUBSCRIBE'], types: ['order.created'] },
  ]);

  it('keeps a subscription whose streams and types the new token covers', () => {
    expect(stillGranted(wide, ordersOnly, { streams: ['orders'] })).toBe(true);
    expect(stillGranted(createdOnly, ordersOnly, { streams: ['orders'] })).toBe(true);
    expect(stillGranted(createdOnly, wide, { streams: ['orders'] })).toBe(true);
  });

  it('ends one that reads a stream or a type the new token does not grant', () => {
    expect(stillGranted(wide, ordersOnly, { streams: ['orders', 'orders.eu'] })).toBe(false);
    expect(stillGranted(ordersOnly, createdOnly, { streams: ['orders'] })).toBe(false);
    const publishOnly = principal('p', [{ stream: 'orders', operations: ['PUBLISH'] }]);
    expect(stillGranted(ordersOnly, publishOnly, { streams: ['orders'] })).toBe(false);
  });

  it('never lets a subscription of all tenants go on under a tenant token, nor cross tenants', () => {
    const tenantA = principal('a', ordersOnly.grants, 'acme');
    const tenantB = principal('b', ordersOnly.grants, 'globex');
    expect(stillGranted(ordersOnly, tenantA, { streams: ['orders'] })).toBe(false);
    expect(stillGranted(tenantA, tenantB, { streams: ['orders'] })).toBe(false);
    expect(
      stillGranted(tenantA, principal('a2', ordersOnly.grants, 'acme'), { streams: ['orders'] }),
    ).toBe(true);
    // Its filter keeps it to its tenant; a wider token may hold it.
    expect(stillGranted(tenantA, ordersOnly, { streams: ['orders'] })).toBe(true);
  });

  it('counts the types the subscription itself asked for', () => {
    const scope = { streams: ['orders'], types: ['order.created'] };
    expect(stillGranted(ordersOnly, createdOnly, scope)).toBe(true);
    expect(stillGranted(ordersOnly, createdOnly, { ...scope, types: ['order.*'] })).toBe(false);
  });

  it('with unknown streams, only a token of the same scope keeps it', () => {
    expect(stillGranted(ordersOnly, principal('same', ordersOnly.grants), undefined)).toBe(true);
    expect(stillGranted(ordersOnly, wide, undefined)).toBe(false);
  });
});

describe('createTokenSession', () => {
  const a = principal('a', [{ stream: '*', operations: ['SUBSCRIBE'] }]);
  const b = principal('b', [{ stream: 'orders', operations: ['SUBSCRIBE'] }]);

  function setup() {
    const tracker = createSubscriptionTracker();
    const tokens = new Map([
      ['Bearer a', a],
      ['Bearer b', b],
    ]);
    const session = createTokenSession({
      principal: a,
      tracker,
      authenticate: async (authorization) => {
        const found = tokens.get(authorization);
        if (!found) throw gatewayError('UNAUTHENTICATED', 'Unknown, revoked or expired token');
        return found;
      },
    });
    const ended = new Map<string, unknown>();
    const subscription = (name: string) => ({ end: (error?: unknown) => ended.set(name, error) });
    return { tracker, session, ended, subscription };
  }

  it('moves what the new token grants to it and ends the rest with FORBIDDEN', async () => {
    const { tracker, session, ended, subscription } = setup();
    session.trackerFor({ streams: ['orders'] }).open(a, subscription('orders'));
    session.trackerFor({ streams: ['invoices'] }).open(a, subscription('invoices'));
    await session.renew('Bearer b');
    expect(session.principal).toBe(b);
    expect([...ended.keys()]).toEqual(['invoices']);
    expect((ended.get('invoices') as { extensions: { code: string } }).extensions.code).toBe(
      'FORBIDDEN',
    );
    // Revoking the old token no longer reaches it; revoking the new one does.
    tracker.endAll('a', 'revoked a');
    expect(ended.has('orders')).toBe(false);
    tracker.endAll('b', 'revoked b');
    expect(ended.get('orders')).toBe('revoked b');
  });

  it('changes nothing when the new token is invalid', async () => {
    const { tracker, session, ended, subscription } = setup();
    session.trackerFor({ streams: ['invoices'] }).open(a, subscription('invoices'));
    await expect(session.renew('Bearer nope')).rejects.toThrow(/Unknown/);
    expect(session.principal).toBe(a);
    expect(ended.size).toBe(0);
    expect(tracker.size).toBe(1);
  });

  it('checks a subscription opened with the token of before a renewal against the new one', async () => {
    const { session, ended, subscription } = setup();
    await session.renew('Bearer b');
    session.trackerFor({ streams: ['invoices'] }).open(a, subscription('late'));
    expect(ended.has('late')).toBe(true);
  });

  it('releases once, whatever token holds it', async () => {
    const { tracker, session, subscription } = setup();
    const release = session.trackerFor({ streams: ['orders'] }).open(a, subscription('orders'));
    await session.renew('Bearer b');
    expect(tracker.size).toBe(1);
    release();
    release();
    expect(tracker.size).toBe(0);
  });
});

describe('authenticate over an open WebSocket', () => {
  let gw: TestGateway;
  const ORDERS = `subscription { events(streams: ["orders"]) { payload } }`;
  const INVOICES = `subscription { events(streams: ["invoices"]) { payload } }`;

  const publish = async (type: string, orderId: string) => {
    const result = await gw.graphql(
      `mutation ($type: String!, $orderId: String!) {
        publishJson(event: { type: $type, data: { orderId: $orderId } }) { id }
      }`,
      { type, orderId },
    );
    expect(codesOf(result)).toEqual(['OK']);
  };

  /** Runs a query or mutation on the client's socket; resolves with its one result. */
  function execute(client: Client, query: string): Promise<{ data?: any; errors?: any[] }> {
    return new Promise((resolve, reject) => {
      let result: { data?: any; errors?: any[] } = {};
      client.subscribe(
        { query },
        {
          next: (value) => (result = value as typeof result),
          error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
          complete: () => resolve(result),
        },
      );
    });
  }

  const renew = (client: Client, token: string) =>
    execute(client, `mutation { authenticate(token: "${token}") { name } }`);

  beforeAll(async () => {
    gw = await startTestGateway();
    await setupStream(gw, 'orders', ['order.created']);
    await setupStream(gw, 'invoices', ['invoice.created']);
  });
  afterAll(() => gw?.close());

  it('keeps what the new token grants with no gap, ends the rest with FORBIDDEN, and follows the new token', async () => {
    const both = await gw.issue({
      name: 'both',
      grants: [
        { stream: 'orders', operations: ['SUBSCRIBE'] },
        { stream: 'invoices', operations: ['SUBSCRIBE'] },
      ],
    });
    const ordersOnly = await gw.issue({
      name: 'orders-only',
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    });
    const client = gw.wsClient({ token: both.token });
    const orders = collect(client, ORDERS);
    const invoices = collect(client, INVOICES);
    await publishUntilLive([orders, invoices], async (waiting) => {
      if (waiting.includes(0)) await publish('order.created', 'warm-up');
      if (waiting.includes(1)) await publish('invoice.created', 'warm-up');
    });

    // Events published before, during and after the renewal all arrive, in order.
    const sequence = Array.from({ length: 12 }, (_, i) => `seq-${i}`);
    const publishing = (async () => {
      for (const orderId of sequence) await publish('order.created', orderId);
    })();
    const renewed = await renew(client, ordersOnly.token);
    await publishing;
    expect(renewed).toEqual({ data: { authenticate: { name: 'orders-only' } } });

    await waitFor(() => invoices.ended, { what: 'the invoices subscription to end' });
    expect(invoices.errorCodes).toEqual(['FORBIDDEN']);
    await waitFor(
      () => orders.events.filter((e) => e.payload.orderId === sequence.at(-1)).length > 0,
      { what: 'the last event of the sequence' },
    );
    const received = orders.events
      .map((e) => e.payload.orderId as string)
      .filter((id) => id.startsWith('seq-'));
    expect(received).toEqual(sequence);
    expect(orders.ended).toBe(false);
    expect((await execute(client, '{ me { name } }')).data).toEqual({
      me: { name: 'orders-only' },
    });

    // Revoking the old token changes nothing here any more; revoking the new one ends it all.
    await gw.graphql(`mutation ($id: ID!) { revokeToken(id: $id) }`, { id: both.id });
    const before = orders.events.length;
    await publish('order.created', 'after-revoking-the-old-token');
    await waitFor(() => orders.events.length > before, {
      what: 'the subscription to go on after the old token was revoked',
    });
    expect(orders.ended).toBe(false);
    await gw.graphql(`mutation ($id: ID!) { revokeToken(id: $id) }`, { id: ordersOnly.id });
    await waitFor(() => orders.ended && orders.closeCode !== undefined, {
      what: 'the new token’s revocation to end the subscription and the socket',
    });
    expect(orders.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(orders.closeCode).toBe(4403);
  });

  it('ends exactly the subscriptions a type-restricted token no longer grants', async () => {
    const all = await gw.issue({ grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }] });
    const typed = await gw.issue({
      name: 'typed',
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'], types: ['order.created'] }],
    });
    const client = gw.wsClient({ token: all.token });
    const everything = collect(client, ORDERS);
    const created = collect(
      client,
      `subscription { events(streams: ["orders"], filter: { types: ["order.created"] }) { payload } }`,
    );
    await publishUntilLive([everything, created], () => publish('order.created', 'warm-up'));

    expect(codesOf(await renew(client, typed.token))).toEqual(['OK']);
    // The unfiltered one could deliver other types: it ends. The filtered one goes on.
    await waitFor(() => everything.ended, { what: 'the unfiltered subscription to end' });
    expect(everything.errorCodes).toEqual(['FORBIDDEN']);
    const before = created.events.length;
    await publish('order.created', 'after');
    await waitFor(() => created.events.length > before, { what: 'the filtered one to go on' });
    expect(created.ended).toBe(false);
    client.dispose();
  });

  it('an invalid token changes nothing and answers UNAUTHENTICATED', async () => {
    const { token } = await gw.issue({
      name: 'keeper',
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    });
    const client = gw.wsClient({ token });
    const orders = collect(client, ORDERS);
    await publishUntilLive([orders], () => publish('order.created', 'warm-up'));

    const refused = await renew(client, 'sgt_not-a-token');
    expect(codesOf(refused)).toEqual(['UNAUTHENTICATED']);
    expect((await execute(client, '{ me { name } }')).data).toEqual({ me: { name: 'keeper' } });
    const before = orders.events.length;
    await publish('order.created', 'after');
    await waitFor(() => orders.events.length > before, { what: 'the subscription to go on' });
    expect(orders.ended).toBe(false);
    expect(orders.closeCode).toBeUndefined();
    client.dispose();
  });

  it('expiry follows the new token', async () => {
    const lasting = await gw.issue({ grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }] });
    const client = gw.wsClient({ token: lasting.token });
    const orders = collect(client, ORDERS);
    await publishUntilLive([orders], () => publish('order.created', 'warm-up'));
    const expiresAt = Date.now() + 3_000;
    const { token: expiring } = await gw.issue({
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
      expiresAt: new Date(expiresAt).toISOString(),
    });
    expect(codesOf(await renew(client, expiring))).toEqual(['OK']);
    await waitFor(() => orders.ended && orders.closeCode !== undefined, {
      timeoutMs: 20_000,
      what: 'the renewed token’s expiry to end the subscription',
    });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(orders.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(orders.closeCode).toBe(4403);
  });

  it('over HTTP, authenticate is refused with BAD_USER_INPUT', async () => {
    const { token } = await gw.issue({ grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }] });
    const result = await gw.graphql(`mutation { authenticate(token: "${token}") { name } }`);
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
  });
});
