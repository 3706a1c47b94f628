/**
 * SIGTERM while a service publishes in a loop and clients hold subscriptions open over
 * graphql-ws and SSE: the gateway answers what it has under way, completes the subscriptions
 * (no error: clients resume from their cursor on another instance), closes the log and exits 0.
 * Every acknowledged publish is then readable, and the resumed subscriptions receive every
 * acknowledged event exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LOG_MODES, subscribeEvents } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { waitFor } from '../support/wait-for.js';
import { createFaultStream, duplicates, startTraffic } from './fault-fixtures.js';

describe.each(LOG_MODES)('graceful shutdown on the $name log', (mode) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  test(
    'SIGTERM completes subscriptions, answers publishes under way and exits 0; nothing acknowledged is lost',
    { timeout: 180_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-shutdown-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const brokers = mode.brokers();
      const first = await startGatewayProcess({ brokers, dataDir });
      cleanup.push(() => first.stop('SIGKILL'));
      const { stream, type, data } = await createFaultStream(first);

      let current: GatewayProcess = first;
      const { subscriptions, publisher } = await startTraffic({
        current: () => current,
        stream,
        type,
        data,
        idPrefix: 'shutdown',
        seen: 5,
        cleanup,
      });

      const signalledAt = Date.now();
      const exitCode = await first.stop('SIGTERM');
      const shutdownMs = Date.now() - signalledAt;
      expect(exitCode, first.output().slice(-3000)).toBe(0);
      console.log(
        `[${mode.name}] SIGTERM to exit: ${shutdownMs} ms; ${publisher.acked().length} publishes acknowledged before`,
      );

      // Each subscription's first run ended the way a client can resume from: `complete`.
      for (const subscription of subscriptions) {
        await waitForRunEnd(subscription);
        expect(subscription.ends[0], subscription.transport).toEqual({ kind: 'complete' });
      }

      const second = await startGatewayProcess({
        brokers,
        dataDir,
        adminToken: first.adminToken,
        topicPrefix: first.topicPrefix,
      });
      cleanup.push(() => second.stop('SIGKILL'));
      current = second;
      await publisher.waitForAcks(20);
      await publisher.stop();

      const acked = publisher.acked().map((r) => r.id);
      for (const subscription of subscriptions) {
        await subscription.waitForIds(acked);
        const ids = subscription.events.map((e) => e.id);
        expect(duplicates(ids), `${subscription.transport} received an event twice`).toEqual([]);
        expect(subscription.runs).toBeGreaterThanOrEqual(2);
      }
      // And a new reader of the whole stream finds every acknowledged event.
      const reader = subscribeEvents(second, 'graphql-ws', {
        streams: [stream],
        from: { earliest: true },
      });
      await waitFor(() => acked.every((id) => reader.events.some((e) => e.id === id)), {
        timeoutMs: 30_000,
        what: 'a new reader to find every acknowledged event',
      });

      expect(await second.stop('SIGTERM')).toBe(0);
    },
  );
});

async function waitForRunEnd(subscription: { ends: readonly unknown[] }): Promise<void> {
  await waitFor(() => subscription.ends.length > 0, { what: 'the subscription to end' });
}
