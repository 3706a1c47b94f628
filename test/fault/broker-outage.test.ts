/**
 * The Kafka broker goes away while a service publishes and clients subscribe, first stopped
 * cleanly, then killed: while it is down, publishes are refused with UNAVAILABLE (nothing
 * written, retry), POST /events answers 503 with Retry-After and /ready 503; the process lives
 * on; when the broker is back everything works again, and every subscriber ends up with every
 * acknowledged event, exactly once (resuming from its cursor if its subscription ended).
 *
 * The broker is this file's own (stopping the run's shared broker would break other tests).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postEvents, TRANSPORTS } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { startKafka, type KafkaBroker } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';
import { createFaultStream, duplicates, targetOf, type FaultStream } from './fault-fixtures.js';
import { longestOutage, publishLoop, type PublishLoop } from './publish-loop.js';
import { resumingSubscription, type ResumingSubscription } from './resuming-subscription.js';

describe('a Kafka outage', () => {
  let broker: KafkaBroker;
  let gateway: GatewayProcess;
  let fault: FaultStream;
  let subscriptions: ResumingSubscription[] = [];
  let publisher: PublishLoop | undefined;

  beforeAll(async () => {
    broker = await startKafka({ log: () => undefined });
    gateway = await startGatewayProcess({ brokers: broker.brokers });
    fault = await createFaultStream(gateway, 3);
  }, 180_000);
  afterAll(async () => {
    await publisher?.stop();
    subscriptions.forEach((s) => s.close());
    await gateway?.stop('SIGKILL');
    await broker?.close();
  });

  test(
    'is survived: refused promptly while it lasts, nothing acknowledged lost',
    { timeout: 300_000 },
    async () => {
      subscriptions = TRANSPORTS.map((transport) =>
        resumingSubscription({
          transport,
          target: () => targetOf(gateway),
          streams: [fault.stream],
          from: { earliest: true },
        }),
      );
      const loop = (publisher = publishLoop({
        target: () => targetOf(gateway),
        type: fault.type,
        data: fault.data,
        idPrefix: 'outage',
      }));
      await loop.waitForAcks(20);

      for (const kill of [false, true]) {
        const how = kill ? 'killed' : 'stopped';
        const refusedBefore = loop.attempts.filter((a) => a.outcome !== 'ok').length;
        await broker.stop({ kill });

        await waitFor(async () => (await fetch(`${gateway.url}/ready`)).status === 503, {
          timeoutMs: 30_000,
          what: `/ready to answer 503 with the broker ${how}`,
        });
        const ready = await fetch(`${gateway.url}/ready`);
        expect(await ready.json()).toMatchObject({ status: 'unavailable' });
        expect((await fetch(`${gateway.url}/health`)).status).toBe(200);

        // A few publishes refused while it is down: each says UNAVAILABLE.
        await waitFor(
          () => loop.attempts.filter((a) => a.outcome !== 'ok').length >= refusedBefore + 3,
          {
            timeoutMs: 60_000,
            what: `publishes to be refused with the broker ${how}`,
          },
        );
        const refused = loop.attempts.filter((a) => a.outcome !== 'ok').slice(refusedBefore);
        expect(new Set(refused.map((a) => a.outcome))).toEqual(new Set(['UNAVAILABLE']));

        const posted = await postEvents(
          gateway,
          {
            specversion: '1.0',
            id: `outage-post-${how}`,
            source: 'test',
            type: fault.type,
            data: fault.data(),
          },
          { 'content-type': 'application/cloudevents+json' },
        );
        expect(posted.status).toBe(503);
        expect(posted.contentType).toContain('application/problem+json');
        expect(posted.body).toMatchObject({ code: 'UNAVAILABLE' });
        expect(Number(posted.headers.get('retry-after'))).toBeGreaterThan(0);

        await broker.start();
        const backAt = Date.now();
        await waitFor(async () => (await fetch(`${gateway.url}/ready`)).status === 200, {
          timeoutMs: 60_000,
          what: `/ready to answer 200 once the ${how} broker is back`,
        });
        await loop.waitForAcks(20);
        const firstAck = loop.attempts.find(
          (a) => a.outcome === 'ok' && a.startedAt + a.ms >= backAt,
        );
        const recoveryMs = firstAck ? firstAck.startedAt + firstAck.ms - backAt : NaN;
        expect(gateway.child.exitCode, gateway.output().slice(-3000)).toBeNull();
        const slowestRefusal = Math.max(...refused.map((a) => a.ms));
        console.log(
          `[broker ${how}] publishes refused: ${refused.length}, slowest refusal ${slowestRefusal} ms, ` +
            `first publish acknowledged ${recoveryMs} ms after the broker served again`,
        );
      }
      await loop.stop();

      const acked = loop.acked().map((r) => r.id);
      for (const subscription of subscriptions) {
        await subscription.waitForIds(acked, { timeoutMs: 90_000 });
        expect(duplicates(subscription.events.map((e) => e.id)), subscription.transport).toEqual(
          [],
        );
        console.log(
          `[${subscription.transport}] runs ${subscription.runs}, ends ${JSON.stringify(subscription.ends)}`,
        );
      }
      const unhandled = gateway
        .output()
        .split('\n')
        .filter((line) => line.includes('unhandled rejection'));
      console.log(
        `acknowledged ${acked.length}, lost 0; longest unavailability ${longestOutage(loop.attempts)} ms; ` +
          `unhandled rejections logged: ${unhandled.length}`,
      );
      expect(unhandled, unhandled.slice(0, 3).join('\n')).toEqual([]);
      expect(gateway.child.exitCode).toBeNull();
    },
  );
});
