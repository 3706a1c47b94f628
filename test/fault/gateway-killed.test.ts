/**
 * A gateway dies at once (SIGKILL: no shutdown, no `complete`) while a service publishes and
 * clients subscribe. The clients resume from the cursor of the last event they received on
 * another instance (on Kafka, one that was running all along; on the embedded log, a new
 * process on the same data) and miss nothing: every acknowledged event arrives, each partition
 * arrives in order with no gap and no repeat.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LOG_MODES, type ReceivedEvent } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { createFaultStream, duplicates, startTraffic } from './fault-fixtures.js';

/** Per partition, the offsets received must be 0, 1, 2, … in order: no gap, no repeat. */
function gapsAndRepeats(events: readonly ReceivedEvent[]): string[] {
  const next = new Map<number, number>();
  const problems: string[] = [];
  for (const event of events) {
    const expected = next.get(event.partition) ?? 0;
    const offset = Number(event.offset);
    if (offset !== expected)
      problems.push(`partition ${event.partition}: offset ${offset} where ${expected} was due`);
    next.set(event.partition, offset + 1);
  }
  return problems;
}

describe.each(LOG_MODES)('a gateway killed on the $name log', (mode) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  test(
    'clients resume from their cursors on another instance with no gap',
    { timeout: 180_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-killed-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const brokers = mode.brokers();
      const doomed = await startGatewayProcess({ brokers, dataDir });
      cleanup.push(() => doomed.stop('SIGKILL'));
      const { stream, type, data } = await createFaultStream(doomed, 3);
      const startSurvivor = async () => {
        const survivor = await startGatewayProcess({
          brokers,
          dataDir,
          adminToken: doomed.adminToken,
          topicPrefix: doomed.topicPrefix,
        });
        cleanup.push(() => survivor.stop('SIGKILL'));
        return survivor;
      };
      // On Kafka the other instance serves all along; the embedded log allows one process per data directory.
      let survivor = mode.name === 'kafka' ? await startSurvivor() : undefined;

      let current: GatewayProcess = doomed;
      const { subscriptions, publisher } = await startTraffic({
        current: () => current,
        stream,
        type,
        data,
        idPrefix: 'killed',
        seen: 10,
        cleanup,
      });

      await doomed.stop('SIGKILL');
      survivor ??= await startSurvivor();
      current = survivor;
      await publisher.waitForAcks(20);
      await publisher.stop();

      const acked = publisher.acked().map((r) => r.id);
      for (const subscription of subscriptions) {
        await subscription.waitForIds(acked);
        expect(subscription.runs, `${subscription.transport} resumed`).toBeGreaterThanOrEqual(2);
        expect(duplicates(subscription.events.map((e) => e.id)), subscription.transport).toEqual(
          [],
        );
        expect(gapsAndRepeats(subscription.events), subscription.transport).toEqual([]);
      }
      console.log(
        `[${mode.name}] acknowledged ${acked.length}, lost 0 after SIGKILL; resumed on another instance`,
      );
    },
  );
});
