import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/grants.js';
import { defaultRateLimits } from '../../src/auth/rate-limit.js';
import { createSubscriptionTracker } from '../../src/auth/subscription-tracker.js';
import { createTokenExpiry, trackExpiry } from '../../src/auth/token-expiry.js';
import { waitFor } from '../support/wait-for.js';
import {
  codesOf,
  publishUntilLive,
  setupStream,
  startTestGateway,
  type TestGateway,
} from './auth-harness.js';
import { collect } from './subscription-probe.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');

function principal(tokenId: string | null, expiresAt: number | null): Principal {
  return {
    tokenId,
    name: tokenId ?? 'admin',
    admin: tokenId === null,
    tenant: null,
    grants: [],
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    limits: defaultRateLimits,
  };
}

/** A hand-driven clock and timer queue. */
function fakeTime() {
  let time = T0;
  const timers = new Set<{ at: number; delay: number; run: () => void }>();
  return {
    now: () => time,
    setTimer(run: () => void, delay: number) {
      const timer = { at: time + delay, delay, run };
      timers.add(timer);
      return timer;
    },
    clearTimer(timer: object) {
      timers.delete(timer as never);
    },
    /** Moves the clock, firing due timers in order (including ones they arm). */
    advance(ms: number) {
      const end = time + ms;
      for (;;) {
        const due = [...timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers.delete(due);
        time = due.at;
        due.run();
      }
      time = end;
    },
    get pending() {
      return [...timers];
    },
  };
}

describe('createTokenExpiry', () => {
  function setup() {
    const clock = fakeTime();
    const expired: string[] = [];
    const expiry = createTokenExpiry({
      onExpired: (id) => expired.push(id),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    });
    return { clock, expired, expiry };
  }

  it('reports a held token once, when its expiry passes, however many hold it', () => {
    const { clock, expired, expiry } = setup();
    const p = principal('a', T0 + 5_000);
    expiry.hold(p);
    expiry.hold(p);
    expect(clock.pending).toHaveLength(1);
    clock.advance(4_999);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual(['a']);
    clock.advance(60_000);
    expect(expired).toEqual(['a']);
    expect(expiry.size).toBe(0);
  });

  it('watches nothing for the admin token or a token that never expires', () => {
    const { clock, expiry } = setup();
    expiry.hold(principal(null, null));
    expiry.hold(principal('forever', null));
    expect(expiry.size).toBe(0);
    expect(clock.pending).toHaveLength(0);
  });

  it('stops watching once the last holder releases, and a release twice counts once', () => {
    const { clock, expired, expiry } = setup();
    const p = principal('a', T0 + 5_000);
    const first = expiry.hold(p);
    const second = expiry.hold(p);
    first();
    first();
    expect(expiry.size).toBe(1);
    second();
    expect(expiry.size).toBe(0);
    expect(clock.pending).toHaveLength(0);
    clock.advance(10_000);
    expect(expired).toEqual([]);
  });

  it('reaches an expiry beyond the longest timer Node takes in hops', () => {
    const { clock, expired, expiry } = setup();
    const days = 60;
    expiry.hold(principal('far', T0 + days * 86_400_000));
    expect(clock.pending[0]!.delay).toBeLessThanOrEqual(2 ** 31 - 1);
    clock.advance((days - 1) * 86_400_000);
    expect(expired).toEqual([]);
    clock.advance(86_400_000);
    expect(expired).toEqual(['far']);
  });

  it('reports a token held after its expiry at the next turn', () => {
    const { clock, expired, expiry } = setup();
    expiry.hold(principal('late', T0 - 1));
    clock.advance(0);
    expect(expired).toEqual(['late']);
  });

  it('a release after the expiry was reported does not disturb a new watch of the token', () => {
    const { clock, expired, expiry } = setup();
    const release = expiry.hold(principal('a', T0 + 1_000));
    clock.advance(1_000);
    expect(expired).toEqual(['a']);
    // Not possible with real tokens (their expiry never changes), but the bookkeeping must hold.
    expiry.hold(principal('a', T0 + 5_000));
    release();
    expect(expiry.size).toBe(1);
  });

  it('trackExpiry: subscriptions hold their token until released, and the tracker still counts', () => {
    const { expiry } = setup();
    const tracker = trackExpiry(createSubscriptionTracker(), expiry);
    const release = tracker.open(principal('a', T0 + 5_000), { end() {} });
    expect(tracker.size).toBe(1);
    expect(expiry.size).toBe(1);
    release();
    expect(tracker.size).toBe(0);
    expect(expiry.size).toBe(0);
  });
});

describe('an expiring or revoked token, through the gateway', () => {
  let gw: TestGateway;
  const SUBSCRIBE = `subscription { events(streams: ["orders"]) { id } }`;
  const publishOrder = async () => {
    const result = await gw.graphql(
      `mutation { publishJson(event: { type: "order.created", data: { orderId: "o" } }) { id } }`,
    );
    expect(codesOf(result)).toEqual(['OK']);
  };

  beforeAll(async () => {
    gw = await startTestGateway();
    await setupStream(gw, 'orders', ['order.created']);
  });
  afterAll(() => gw?.close());

  it('ends its WebSocket and SSE subscriptions with UNAUTHENTICATED and closes its sockets with 4403 when it expires', async () => {
    // Long enough to connect and subscribe on a slow machine; the test waits for whatever it takes.
    const expiresAt = Date.now() + 3_000;
    const { token } = await gw.issue({
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
      expiresAt: new Date(expiresAt).toISOString(),
    });
    const { token: other } = await gw.issue({
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    });

    const ws = collect(gw.wsClient({ token }), SUBSCRIBE);
    const idleSocket = collect(gw.wsClient({ token }, { lazy: false }), null);
    const sse = collect(gw.sseClient({ token }), SUBSCRIBE);
    const bystander = collect(gw.wsClient({ token: other }), SUBSCRIBE);
    await publishUntilLive([ws, sse, bystander], publishOrder);
    await waitFor(() => idleSocket.connected, { what: 'the idle socket to be accepted' });
    expect(Date.now()).toBeLessThan(expiresAt); // else the run proves nothing: raise the 3 s

    await waitFor(() => ws.ended && sse.ended && idleSocket.closeCode !== undefined, {
      timeoutMs: 20_000,
      what: 'the expired token to lose its subscriptions and sockets',
    });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(ws.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(sse.errorCodes).toEqual(['UNAUTHENTICATED']);
    await waitFor(() => ws.closeCode !== undefined, { what: 'the subscription socket to close' });
    expect(ws.closeCode).toBe(4403);
    expect(idleSocket.closeCode).toBe(4403);

    // Other tokens keep theirs; the expired one is refused from now on.
    expect(bystander.ended).toBe(false);
    const counts = [bystander.events.length, ws.events.length, sse.events.length];
    await publishOrder();
    await waitFor(() => bystander.events.length > counts[0]!, {
      what: 'the other token to go on receiving',
    });
    expect([ws.events.length, sse.events.length]).toEqual(counts.slice(1));
    expect(codesOf(await gw.graphql('{ me { name } }', {}, { token }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const again = collect(gw.wsClient({ token }), SUBSCRIBE);
    await waitFor(() => again.closeCode !== undefined, {
      what: 'a new socket of the expired token to close',
    });
    expect(again.closeCode).toBe(4403);
    bystander.dispose();
  });

  it('ends its subscriptions with UNAUTHENTICATED and closes its sockets with 4403 when it is revoked', async () => {
    const { id, token } = await gw.issue({
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    });
    const ws = collect(gw.wsClient({ token }), SUBSCRIBE);
    const sse = collect(gw.sseClient({ token }), SUBSCRIBE);
    await publishUntilLive([ws, sse], publishOrder);

    const revoked = await gw.graphql(`mutation ($id: ID!) { revokeToken(id: $id) }`, { id });
    expect(revoked.data).toEqual({ revokeToken: true });
    await waitFor(() => ws.ended && sse.ended && ws.closeCode !== undefined, {
      what: 'the revoked token to lose everything',
    });
    expect(ws.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(sse.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(ws.closeCode).toBe(4403);
    expect(codesOf(await gw.graphql('{ me { name } }', {}, { token }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});
