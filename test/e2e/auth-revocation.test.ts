/**
 * Revocation and expiry across instances on the real broker: two gateway processes share one
 * registry topic; a token revoked on one, or expiring, loses its subscriptions and sockets on
 * both. The delays are measured and printed (not asserted: the machine is shared).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';
import {
  codesOf,
  publishUntilLive,
  setupStream,
  startTestGateway,
  type TestGateway,
} from '../auth/auth-harness.js';
import { collect, type Probe } from '../auth/subscription-probe.js';

const SUBSCRIBE = `subscription { events(streams: ["orders"]) { id } }`;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('revocation and expiry across two instances on Kafka', () => {
  let a: TestGateway;
  let b: TestGateway;
  const probes: Probe[] = [];
  const track = (probe: Probe) => (probes.push(probe), probe);
  const publishOrder = async () => {
    const result = await a.graphql(
      `mutation { publishJson(event: { type: "order.created", data: { orderId: "o" } }) { id } }`,
    );
    expect(codesOf(result)).toEqual(['OK']);
  };

  beforeAll(async () => {
    const shared = {
      brokers: kafkaBrokers(),
      topicPrefix: `t${randomBytes(4).toString('hex')}.`,
      adminToken: `admin-${randomBytes(16).toString('hex')}`,
    };
    a = await startTestGateway(shared);
    b = await startTestGateway(shared);
    await setupStream(a, 'orders', ['order.created']);
    // B follows the registry topic: it knows the stream once A wrote it.
    await waitFor(
      async () => (await b.graphql('{ stream(name: "orders") { name } }')).data?.stream,
      { what: 'B to see the stream' },
    );
  });
  afterAll(async () => {
    for (const probe of probes) probe.dispose();
    await Promise.all([a?.close(), b?.close()]);
  });

  it('a token revoked on one instance loses its subscriptions and sockets on the other at once', async () => {
    const delays: number[] = [];
    for (let round = 0; round < 5; round++) {
      const { id, token } = await a.issue({
        name: `revoked-${round}`,
        grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
      });
      // B may need a moment to read the new token record.
      await waitFor(
        async () => codesOf(await b.graphql('{ me { name } }', {}, { token }))[0] === 'OK',
        { what: 'B to know the token' },
      );
      const ws = track(collect(b.wsClient({ token }), SUBSCRIBE));
      const sse = track(collect(b.sseClient({ token }), SUBSCRIBE));
      const onA = track(collect(a.wsClient({ token }), SUBSCRIBE));
      await publishUntilLive([ws, sse, onA], publishOrder);

      const revokedAt = Date.now();
      const revoked = await a.graphql(`mutation ($id: ID!) { revokeToken(id: $id) }`, { id });
      expect(revoked.data).toEqual({ revokeToken: true });
      await waitFor(() => ws.closeCode !== undefined && sse.ended && onA.closeCode !== undefined, {
        what: 'the revoked token to lose everything on both instances',
      });
      expect(ws.errorCodes).toEqual(['UNAUTHENTICATED']);
      expect(sse.errorCodes).toEqual(['UNAUTHENTICATED']);
      expect(onA.errorCodes).toEqual(['UNAUTHENTICATED']);
      expect([ws.closeCode, onA.closeCode]).toEqual([4403, 4403]);
      expect(codesOf(await b.graphql('{ me { name } }', {}, { token }))).toEqual([
        'UNAUTHENTICATED',
      ]);
      delays.push(Math.max(ws.errorAt!, sse.errorAt!) - revokedAt);
    }
    console.info(
      `revocation on A → subscriptions on B ended: median ${percentile(delays, 50)} ms, max ${Math.max(...delays)} ms (${delays.join(', ')} ms)`,
    );
  });

  it('an expiring token loses its subscriptions and sockets on every instance when it expires', async () => {
    // Long enough to subscribe on both instances on a loaded machine.
    const expiresAt = Date.now() + 6_000;
    const { token } = await a.issue({
      name: 'expiring',
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
      expiresAt: new Date(expiresAt).toISOString(),
    });
    await waitFor(
      async () => codesOf(await b.graphql('{ me { name } }', {}, { token }))[0] === 'OK',
      { what: 'B to know the token' },
    );
    const onA = track(collect(a.wsClient({ token }), SUBSCRIBE));
    const onB = track(collect(b.wsClient({ token }), SUBSCRIBE));
    const sseOnB = track(collect(b.sseClient({ token }), SUBSCRIBE));
    await publishUntilLive([onA, onB, sseOnB], publishOrder);
    expect(Date.now()).toBeLessThan(expiresAt); // else the run proves nothing: raise the 6 s
    await waitFor(
      () => onA.closeCode !== undefined && onB.closeCode !== undefined && sseOnB.ended,
      {
        timeoutMs: 20_000,
        what: 'the expired token to lose everything on both instances',
      },
    );
    expect(onA.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(onB.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(sseOnB.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect([onA.closeCode, onB.closeCode]).toEqual([4403, 4403]);
    // Never before its time.
    expect(Math.min(onA.errorAt!, onB.errorAt!, sseOnB.errorAt!)).toBeGreaterThanOrEqual(expiresAt);
    console.info(
      `expiry → subscriptions ended: A +${onA.errorAt! - expiresAt} ms, B +${onB.errorAt! - expiresAt} ms, B (SSE) +${sseOnB.errorAt! - expiresAt} ms`,
    );
  });
});
