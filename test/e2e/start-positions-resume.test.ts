/**
 * Gap-free resume across instances: a client subscribes on gateway A, receives some events, A
 * goes away, and the client resumes on gateway B with the cursor of the last event it received,
 * while events keep being published. What it received from A and then from B is exactly the
 * published sequence: nothing lost, nothing twice, every partition in order.
 *
 * On Kafka, A and B run at once on the same broker and topic prefix (two instances of one
 * deployment). On the embedded log, B starts on A's data directory after A stopped (a restart).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assertLogOrder,
  eventsBeforeMarkers,
  LOG_MODES,
  platformExample,
  publishEndMarkers,
  publishJson,
  subscribeEvents,
  TRANSPORTS,
  type PublishJsonInput,
  type ReceivedEvent,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { release, startPublishing } from '../support/publishing.js';
import { waitFor } from '../support/wait-for.js';

/** The built-in stream: six partitions, so the cursor carries several positions. */
const STREAM = 'platform';
const PARTITIONS = 6;

describe.each(LOG_MODES)('resuming on another instance, on the $name log', (mode) => {
  const gateways: GatewayProcess[] = [];
  let dataDir: string;
  let brokers: string[] | undefined;
  let a: GatewayProcess;
  /** Kafka: a second instance of the same deployment, up all along. Embedded: started later. */
  let b: GatewayProcess | undefined;

  const start = async (topicPrefix?: string) => {
    const gateway = await startGatewayProcess({
      brokers,
      dataDir,
      ...(topicPrefix ? { topicPrefix } : {}),
    });
    gateways.push(gateway);
    return gateway;
  };
  beforeAll(async () => {
    brokers = mode.brokers();
    dataDir = await mkdtemp(join(tmpdir(), 'streamgate-resume-'));
    a = await start();
    if (brokers) b = await start(a.topicPrefix);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  // Restarting on the embedded log starts a gateway process inside the test.
  test(
    'over graphql-ws and graphql-sse: no gap and no repeat from gateway A to gateway B',
    { timeout: 90_000 },
    async () => {
      let current: GatewayProcess | undefined = a;
      const publisher = startPublishing(() => (brokers ? b : current));
      try {
        const onA = TRANSPORTS.map((transport) =>
          subscribeEvents(a, transport, { streams: [STREAM], from: { earliest: true } }),
        );
        await Promise.all(onA.map((subscription) => subscription.collect(10)));
        await publisher.more(5);
        for (const subscription of onA) subscription.close();
        const fromA = onA.map((subscription) => [...subscription.events]);

        // A goes away (its clients with it); on the embedded log, B then starts on A's data.
        current = undefined;
        await publisher.settled();
        await a.stop();
        if (!brokers) b = await start();
        current = b;

        const resumedAt = Date.now();
        const onB = TRANSPORTS.map((transport, i) =>
          subscribeEvents(b!, transport, {
            streams: [STREAM],
            from: { after: fromA[i]!.at(-1)!.cursor },
          }),
        );
        await Promise.all(onB.map((subscription) => subscription.collect(1)));
        const firstOnBMs = Date.now() - resumedAt;
        await publisher.more(10);
        const published = await publisher.stop();
        const markers = await publishEndMarkers(b!, release(9999), PARTITIONS);

        for (const [i, transport] of TRANSPORTS.entries()) {
          const fromB = await eventsBeforeMarkers(onB[i]!, markers);
          const union: ReceivedEvent[] = [...fromA[i]!, ...fromB];
          expect(union.map((event) => event.id).sort(), transport).toEqual([...published].sort());
          expect(union, transport).toHaveLength(published.length);
          // B starts each partition right after what A delivered on it: one unbroken order.
          assertLogOrder(union);
          expect(fromA[i]!.length, transport).toBeGreaterThanOrEqual(10);
          expect(fromB.length, transport).toBeGreaterThanOrEqual(10);
        }
        console.info(
          `[resume ${mode.name}] ${published.length} events published; first event on B ${firstOnBMs} ms after resuming`,
        );
      } finally {
        await publisher.stop();
      }
    },
  );
});
