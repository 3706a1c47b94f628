/**
 * Failover on a real cluster (issue 11, item 7): three Kafka nodes (replication 3,
 * min.insync.replicas 2), each restarted in turn and then one SIGKILLed, while two gateway
 * processes publish single events and batches of three (Kafka transactions) and serve
 * subscribers. Asserted: no acknowledged event is lost, every subscriber (two transports on each
 * gateway, resuming from its cursor whenever a run ends) gets every acknowledged event exactly
 * once, every batch is read whole or not at all, and every publish gets an HTTP answer: an event
 * or a contract code, never a reset socket.
 *
 * The cluster is this file's own; it prints the figures (acknowledged, lost, refused, longest
 * refusal window) for the record.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { startKafkaCluster, type KafkaCluster } from '../../scripts/kafka/start-kafka-cluster.js';
import { TRANSPORTS } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { waitFor } from '../support/wait-for.js';
import { createFaultStream, duplicates, targetOf, type FaultStream } from './fault-fixtures.js';
import { longestOutage, publishLoop, type PublishLoop } from './publish-loop.js';
import { resumingSubscription, type ResumingSubscription } from './resuming-subscription.js';

/** The outcomes a publish may have: an event, or a code of the contract. */
const CONTRACT_CODES = new Set(['ok', 'UNAVAILABLE', 'RATE_LIMITED']);

interface BatchAttempt {
  readonly ids: readonly string[];
  /** 'ok', a contract code, or 'HTTP <status>' / 'NETWORK'. */
  readonly outcome: string;
}

/**
 * A service publishing batches of three events with three resource ids (so most batches span
 * partitions and are Kafka transactions), one after another, through the failover.
 */
function batchLoop(gateway: GatewayProcess, fault: FaultStream, prefix: string) {
  const attempts: BatchAttempt[] = [];
  let stopped = false;
  const running = (async () => {
    for (let n = 0; !stopped; n++) {
      const ids = [0, 1, 2].map((j) => `${prefix}-${n}-${j}`);
      let outcome: string;
      try {
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${gateway.adminToken}`,
          },
          body: JSON.stringify({
            query:
              'mutation($events: [PublishJsonInput!]!) { publishBatch(events: $events) { id } }',
            variables: {
              events: ids.map((id) => ({
                type: fault.type,
                data: fault.data(),
                id,
                resourceId: id,
              })),
            },
          }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await response.json().catch(() => undefined)) as
          | {
              data?: { publishBatch?: unknown[] } | null;
              errors?: { extensions?: { code?: string } }[];
            }
          | undefined;
        outcome = body?.data?.publishBatch
          ? 'ok'
          : (body?.errors?.[0]?.extensions?.code ??
            `HTTP ${response.status} ${JSON.stringify(body?.errors ?? body).slice(0, 300)}`);
      } catch {
        outcome = 'NETWORK';
      }
      attempts.push({ ids, outcome });
      if (outcome !== 'ok') await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    attempts,
    acked: () => attempts.filter((a) => a.outcome === 'ok'),
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/** Where each event id lies in the topic, as a committed reader sees it: `partition/offset`s. */
async function recordsPerId(brokers: string[], topic: string): Promise<Map<string, string[]>> {
  const kafka = new kafkajs.Kafka({
    clientId: 'failover-check',
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const found = new Map<string, string[]>();
  const reached = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: `failover-check-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const id = message.headers?.['ce_id']?.toString() ?? '';
          found.set(id, [...(found.get(id) ?? []), `${batch.partition}/${message.offset}`]);
        }
        reached.set(batch.partition, Number(batch.highWatermark));
      },
    });
    await waitFor(
      () => ends.every((end) => (reached.get(end.partition) ?? 0) >= Number(end.high)),
      { timeoutMs: 60_000, what: `all of ${topic} read back` },
    );
  } finally {
    await consumer.disconnect();
  }
  return found;
}

describe('failover on a 3-node Kafka cluster', () => {
  let cluster: KafkaCluster;
  let admin: kafkajs.Admin;
  const gateways: GatewayProcess[] = [];
  let fault: FaultStream;
  const cleanup: (() => unknown)[] = [];

  beforeAll(async () => {
    cluster = await startKafkaCluster({ log: () => undefined });
    admin = new kafkajs.Kafka({
      clientId: 'failover-test',
      brokers: cluster.brokers,
      logLevel: kafkajs.logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const shared = {
      brokers: cluster.brokers,
      topicPrefix: `fo${randomBytes(3).toString('hex')}.`,
      adminToken: `admin-${randomBytes(12).toString('hex')}`,
    };
    gateways.push(await startGatewayProcess(shared));
    gateways.push(await startGatewayProcess(shared));
    fault = await createFaultStream(gateways[0]!, 3);
    // The second instance learns of the stream from the registry topic.
    await waitFor(
      async () =>
        (await gateways[1]!.graphql(`{ stream(name: "${fault.stream}") { name } }`)).data?.stream,
      { what: 'the stream on the second gateway' },
    );
  }, 300_000);
  afterAll(async () => {
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => undefined);
    await Promise.all(gateways.map((gateway) => gateway.stop('SIGKILL')));
    await admin?.disconnect();
    await cluster?.close();
  });

  /** Every partition of every topic has all its replicas in sync again. */
  async function fullyReplicated(what: string): Promise<void> {
    await waitFor(
      async () => {
        const { topics } = await admin.fetchTopicMetadata();
        return topics.every((topic) =>
          topic.partitions.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length),
        );
      },
      { timeoutMs: 120_000, intervalMs: 500, what },
    );
  }

  test(
    'loses no acknowledged event, delivers each once, answers every publish',
    { timeout: 600_000 },
    async () => {
      onTestFailed(() => {
        // The gateways' own account of what went wrong, for whoever reads the failure.
        for (const [i, gateway] of gateways.entries()) {
          const file = join(tmpdir(), `cluster-failover-gateway-${i}-${process.pid}.log`);
          writeFileSync(file, gateway.output());
          process.stderr.write(`gateway ${i} output: ${file}\n${gateway.output().slice(-3000)}\n`);
        }
      });
      const subscriptions: ResumingSubscription[] = gateways.flatMap((gateway) =>
        TRANSPORTS.map((transport) =>
          resumingSubscription({
            transport,
            target: () => targetOf(gateway),
            streams: [fault.stream],
            from: { earliest: true },
          }),
        ),
      );
      cleanup.push(() => subscriptions.forEach((s) => s.close()));
      const publishers: PublishLoop[] = gateways.map((gateway, i) =>
        publishLoop({
          target: () => targetOf(gateway),
          type: fault.type,
          data: fault.data,
          idPrefix: `gw${i}`,
        }),
      );
      cleanup.push(() => Promise.all(publishers.map((p) => p.stop())));
      const batches = batchLoop(gateways[1]!, fault, 'batch');
      cleanup.push(() => batches.stop());
      const progress = (n: number) => Promise.all(publishers.map((p) => p.waitForAcks(n)));
      await progress(20);

      const steps: string[] = [];
      const started = Date.now();
      for (const node of cluster.nodes) {
        await node.restart();
        await fullyReplicated(`every replica in sync after node ${node.nodeId} restarted`);
        await progress(10);
        steps.push(`node ${node.nodeId} restarted (${Date.now() - started} ms)`);
      }
      const victim = cluster.nodes[1]!;
      await victim.stop({ kill: true });
      // Two of three nodes keep min.insync.replicas: publishing goes on.
      await progress(20);
      steps.push(`node ${victim.nodeId} killed, 20 more acknowledged (${Date.now() - started} ms)`);
      await victim.start();
      await fullyReplicated(`every replica in sync after node ${victim.nodeId} came back`);
      await progress(10);
      steps.push(`node ${victim.nodeId} back (${Date.now() - started} ms)`);
      await Promise.all([...publishers.map((p) => p.stop()), batches.stop()]);

      const attempts = publishers.flatMap((p) => p.attempts);
      const acked = [
        ...publishers.flatMap((p) => p.acked().map((r) => r.id)),
        ...batches.acked().flatMap((b) => b.ids),
      ];
      const refused = attempts.filter((a) => a.outcome !== 'ok');
      const outcomes = new Map<string, number>();
      for (const a of refused) outcomes.set(a.outcome, (outcomes.get(a.outcome) ?? 0) + 1);

      // Each subscriber, on either gateway, gets every acknowledged event exactly once.
      try {
        for (const subscription of subscriptions) {
          await subscription.waitForIds(acked, { timeoutMs: 120_000 });
        }
      } catch (error) {
        // What the gateways saw, for whoever reads the failure.
        const ackedSet = new Set(acked);
        for (const [i, s] of subscriptions.entries()) {
          const got = new Set(s.events.map((e) => e.id));
          const last = s.events[s.events.length - 1];
          console.info(
            `subscriber ${i} ${s.transport} (${s.progress}): ${s.events.length} events, missing ${[...ackedSet].filter((id) => !got.has(id)).length}, last ${last?.partition}/${last?.offset} ${last?.cursor}`,
          );
        }
        for (const [i, gateway] of gateways.entries()) {
          const metrics = await fetch(`${gateway.url}/metrics`)
            .then((r) => r.text())
            .catch((e: unknown) => String(e));
          console.info(
            `gateway ${i} metrics:\n${metrics
              .split('\n')
              .filter((l) => /^streamgate_(subscriptions|tail|catch|hot|deliveries)/.test(l))
              .join('\n')}`,
          );
        }
        throw error;
      }
      const twice = await recordsPerId(
        cluster.brokers,
        `${gateways[0]!.topicPrefix}${fault.stream}`,
      );
      for (const [i, subscription] of subscriptions.entries()) {
        const repeated = duplicates(subscription.events.map((e) => e.id));
        const where = repeated.map(
          (id) =>
            `${id} at ${subscription.events
              .filter((e) => e.id === id)
              .map((e) => `${e.partition}/${e.offset}`)
              .join(' and ')} (records in Kafka: ${twice.get(id)?.join(' and ')})`,
        );
        expect(
          where,
          `subscriber ${i} ${subscription.transport} runs ${subscription.runs} ends ${JSON.stringify(subscription.ends).slice(0, 500)}`,
        ).toEqual([]);
      }
      // A subscriber that starts afterwards reads every acknowledged event back from Kafka.
      const late = resumingSubscription({
        transport: 'graphql-ws',
        target: () => targetOf(gateways[1]!),
        streams: [fault.stream],
        from: { earliest: true },
      });
      cleanup.push(() => late.close());
      await late.waitForIds(acked, { timeoutMs: 120_000 });
      const received = new Set(late.events.map((e) => e.id));
      const lost = acked.filter((id) => !received.has(id));
      // Every batch, answered or not, was read whole or not at all, by every subscriber.
      const partial: string[] = [];
      for (const subscription of [...subscriptions, late]) {
        const seen = new Set(subscription.events.map((e) => e.id));
        for (const batch of batches.attempts) {
          const found = batch.ids.filter((id) => seen.has(id)).length;
          if (found !== 0 && found !== batch.ids.length)
            partial.push(`${subscription.transport}: ${found} of ${batch.ids.join(',')}`);
        }
      }
      const batchRefused = batches.attempts.filter((b) => b.outcome !== 'ok');
      const batchRefusedButWritten = batchRefused.filter((b) => received.has(b.ids[0]!)).length;
      const refusedButWritten = refused.filter((a) => received.has(a.id)).length;

      console.info(
        [
          `cluster failover: ${steps.join('; ')}`,
          `acknowledged ${acked.length} events (${batches.acked().length} batches of 3), ` +
            `lost ${lost.length}, refused ${refused.length} single publishes ` +
            `(${JSON.stringify(Object.fromEntries(outcomes))}; ${refusedButWritten} of them written all the same) ` +
            `and ${batchRefused.length} batches (${batchRefusedButWritten} written whole all the same), ` +
            `batches read in part: ${partial.length}, longest refusal window ` +
            `${Math.max(...publishers.map((p) => longestOutage(p.attempts)))} ms, ` +
            `slowest answer ${Math.max(...attempts.map((a) => a.ms))} ms`,
          ...subscriptions.map(
            (s, i) =>
              `subscriber ${i} (${s.transport} on gateway ${Math.floor(i / TRANSPORTS.length)}): ` +
              `${s.events.length} events, ${s.runs} runs, ends ${JSON.stringify(s.ends).slice(0, 300)}`,
          ),
        ].join('\n'),
      );
      expect(lost).toEqual([]);
      expect(partial).toEqual([]);
      // Every publish was answered over HTTP with an event or a contract code.
      expect(refused.filter((a) => !CONTRACT_CODES.has(a.outcome))).toEqual([]);
      expect(batchRefused.filter((b) => !CONTRACT_CODES.has(b.outcome))).toEqual([]);
      for (const gateway of gateways) expect(gateway.child.exitCode).toBeNull();
    },
  );
});
