import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import {
  codesOf,
  publishUntilLive,
  setupStream,
  startTestGateway,
  type Caller,
  type TestGateway,
} from './auth-harness.js';
import { collect, type Probe } from './subscription-probe.js';

const PUBLISH = `mutation ($id: ID!) { publishJson(event: { type: "order.created", resourceId: $id, data: { orderId: $id } }) { id } }`;
const SUBSCRIBE = `subscription ($types: [String!]) { events(streams: ["orders"], filter: { types: $types }) { id } }`;

describe('rate limits', () => {
  let gw: TestGateway;
  const probes: Probe[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    await setupStream(gw, 'orders', ['order.created']);
  });
  afterAll(async () => {
    for (const probe of probes) probe.dispose();
    await gw?.close();
  });

  it('publishPerSecond: past the burst, RATE_LIMITED with retryAfterSeconds, over GraphQL and POST /events', async () => {
    // 0.01 per second: one event passes (the bucket may go into debt), the next waits ~100 s,
    // however slow the machine is between the two requests.
    const { token } = await gw.issue({
      name: 'slow',
      publishPerSecond: 0.01,
      grants: [{ stream: 'orders', operations: ['PUBLISH'] }],
    });
    const caller = { token };
    expect(codesOf(await gw.graphql(PUBLISH, { id: 'first' }, caller))).toEqual(['OK']);

    const limited = await gw.graphql(PUBLISH, { id: 'second' }, caller);
    expect(codesOf(limited)).toEqual(['RATE_LIMITED']);
    const retryAfter = limited.errors![0]!.extensions!['retryAfterSeconds'];
    expect(Number.isInteger(retryAfter) && retryAfter > 1).toBe(true);

    const ce = await gw.postEvents(
      {
        specversion: '1.0',
        id: randomBytes(8).toString('hex'),
        source: 't',
        type: 'order.created',
        data: { orderId: 'x' },
      },
      caller,
    );
    expect([ce.status, ce.body.code]).toEqual([429, 'RATE_LIMITED']);
    expect(ce.body.retryAfterSeconds).toBeGreaterThan(1);

    // The limit is the token's own: another token publishes on.
    const { token: other } = await gw.issue({
      name: 'other',
      grants: [{ stream: 'orders', operations: ['PUBLISH'] }],
    });
    expect(codesOf(await gw.graphql(PUBLISH, { id: 'other' }, { token: other }))).toEqual(['OK']);
  });

  it('maxSubscriptions: one more than the token may hold is RATE_LIMITED; a closed one frees its slot', async () => {
    const { token } = await gw.issue({
      name: 'two-subs',
      maxSubscriptions: 2,
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    });
    const caller: Caller = { token };
    const first = collect(gw.wsClient(caller), SUBSCRIBE, { types: null });
    const second = collect(gw.sseClient(caller), SUBSCRIBE, { types: ['order.*'] });
    probes.push(first, second);
    await publishUntilLive([first, second], async () => {
      expect(codesOf(await gw.graphql(PUBLISH, { id: 'live' }))).toEqual(['OK']);
    });

    const overWs = collect(gw.wsClient(caller), SUBSCRIBE, { types: null });
    const overSse = collect(gw.sseClient(caller), SUBSCRIBE, { types: null });
    probes.push(overWs, overSse);
    await waitFor(() => overWs.ended && overSse.ended, {
      what: 'the extra subscriptions to be refused',
    });
    expect(overWs.errorCodes).toEqual(['RATE_LIMITED']);
    expect(overSse.errorCodes).toEqual(['RATE_LIMITED']);
    // Over SSE the refusal comes in the event stream, where graphql-sse hands it to `next`.
    expect(overSse.httpStatus).toBeUndefined();
    // Those already open go on.
    expect([first.ended, second.ended]).toEqual([false, false]);

    first.dispose();
    await waitFor(
      async () => {
        const again = collect(gw.sseClient(caller), SUBSCRIBE, { types: null });
        probes.push(again);
        await waitFor(() => again.ended || again.events.length > 0, {
          timeoutMs: 2_000,
          what: 'an answer',
        }).catch(() => undefined);
        if (again.errorCodes.includes('RATE_LIMITED')) {
          again.dispose();
          return false;
        }
        return again.errorCodes.length === 0;
      },
      { what: 'the freed slot to be usable' },
    );
  });

  it('repeated bad tokens from one address are throttled with RATE_LIMITED; a valid token from it still gets in', async () => {
    const { id, token } = await gw.issue({
      name: 'valid',
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    });
    const address = '127.0.99.1';
    const bad = [
      ...Array.from({ length: 5 }, () => `sg_${id}_${randomBytes(32).toString('base64url')}`), // right id, wrong secret
      ...Array.from({ length: 5 }, () => `not-a-token-${randomBytes(8).toString('hex')}`),
    ];
    const codes: string[] = [];
    for (const badToken of bad)
      codes.push(...codesOf(await gw.graphql('{ me { name } }', {}, { token: badToken, address })));
    expect(codes).toEqual(bad.map(() => 'UNAUTHENTICATED'));

    const blocked = await gw.graphql('{ me { name } }', {}, { token: bad[0]!, address });
    expect(codesOf(blocked)).toEqual(['RATE_LIMITED']);
    expect(blocked.errors![0]!.extensions!['retryAfterSeconds']).toBeGreaterThan(0);
    expect(codesOf(await gw.graphql('{ me { name } }', {}, { token: 'garbage', address }))).toEqual(
      ['RATE_LIMITED'],
    );
    const guessingSocket = collect(gw.wsClient({ token: bad[1]!, address }), SUBSCRIBE, {
      types: null,
    });
    probes.push(guessingSocket);
    await waitFor(() => guessingSocket.closeCode !== undefined, {
      what: 'the guessing socket to close',
    });
    expect(guessingSocket.closeCode).toBe(4403);
    // A valid token from the same address (a client behind the same proxy) is not blocked, on
    // any door.
    expect(codesOf(await gw.graphql('{ me { name } }', {}, { token, address }))).toEqual(['OK']);
    const subscriber = collect(gw.wsClient({ token, address }), SUBSCRIBE, { types: null });
    probes.push(subscriber);
    await publishUntilLive([subscriber], async () => {
      await gw.graphql(PUBLISH, { id: 'while-blocked' });
    });
    expect(subscriber.closeCode).toBeUndefined();

    // Other addresses are not affected.
    expect(
      codesOf(await gw.graphql('{ me { name } }', {}, { token, address: '127.0.99.2' })),
    ).toEqual(['OK']);
  });

  it('requests without a token, or with a revoked one, are not counted as guesses', async () => {
    const address = '127.0.98.1';
    const { id, token } = await gw.issue({
      name: 'to-revoke',
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    });
    expect((await gw.graphql(`mutation ($id: ID!) { revokeToken(id: $id) }`, { id })).data).toEqual(
      { revokeToken: true },
    );
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push(...codesOf(await gw.graphql('{ me { name } }', {}, { token: null, address })));
      codes.push(...codesOf(await gw.graphql('{ me { name } }', {}, { token, address })));
    }
    expect(new Set(codes)).toEqual(new Set(['UNAUTHENTICATED']));
    expect(
      codesOf(await gw.graphql('{ me { name } }', {}, { token: gw.adminToken, address })),
    ).toEqual(['OK']);
  });
});
