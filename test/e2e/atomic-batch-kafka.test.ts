/**
 * publishBatch is all or nothing on Kafka too (issue 15, finding 6). The attack: a stream adopted
 * from a topic with the broker's default `max.message.bytes` (about 1 MiB), and a batch whose
 * events go to several partitions, one of them a little over that limit (yet under the gateway's
 * own event limit). Kafka refuses only that partition's records; the gateway writes the batch as
 * one transaction and aborts it, so no reader that reads committed records (a kafkajs consumer
 * with `readUncommitted: false`, the gateway's own subscriptions) ever sees any of it.
 */
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { partitionForKey } from '../../src/log/murmur2.js';
import { graphqlOk, publishBatch, publishJson, subscribeEvents } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { createTopicAndWait, kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';

const PARTITIONS = 4;
const TYPE = 'ledger.noted';

/** A resource id whose events go to `partition`, as Kafka's default partitioner picks. */
function idOnPartition(partition: number): string {
  for (;;) {
    const id = randomUUID();
    if (partitionForKey(id, PARTITIONS) === partition) return id;
  }
}

interface CommittedRecord {
  readonly partition: number;
  readonly id: string;
}

/** Every record of the topic as a plain kafkajs consumer sees it, until `done` holds. */
async function readTopic(
  native: kafkajs.Kafka,
  topic: string,
  readUncommitted: boolean,
  done: (records: readonly CommittedRecord[]) => boolean,
): Promise<CommittedRecord[]> {
  const records: CommittedRecord[] = [];
  const consumer = native.consumer({ groupId: `atomic-batch-${randomUUID()}`, readUncommitted });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({ partition, id: message.headers?.['ce_id']?.toString() ?? '' });
      },
    });
    await waitFor(() => done(records), { timeoutMs: 30_000, what: `records of ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

describe('publishBatch on Kafka is all or nothing', () => {
  let gateway: GatewayProcess;
  let native: kafkajs.Kafka;
  let admin: kafkajs.Admin;
  let topic: string;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ brokers: kafkaBrokers() });
    native = new kafkajs.Kafka({
      clientId: 'atomic-batch-e2e',
      brokers: kafkaBrokers(),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    admin = native.admin();
    await admin.connect();
    // The topic exists first, with the broker's default max.message.bytes; createStream adopts it.
    topic = `${gateway.topicPrefix}ledger`;
    await createTopicAndWait(admin, { topic, numPartitions: PARTITIONS });
    await graphqlOk(
      gateway,
      'mutation($input: CreateStreamInput!) { createStream(input: $input) { name partitions } }',
      { input: { name: 'ledger', partitions: PARTITIONS } },
    );
    await graphqlOk(
      gateway,
      'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type } }',
      { input: { type: TYPE, stream: 'ledger', schema: { type: 'object' } } },
    );
  });
  afterAll(async () => {
    await admin?.disconnect();
    await gateway?.stop();
  });

  test('a batch with one event over the topic limit answers PAYLOAD_TOO_LARGE and none of it is readable', async () => {
    const { resources } = await admin.describeConfigs({
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic }],
      includeSynonyms: false,
    });
    const maxMessageBytes = Number(
      resources[0]?.configEntries.find((entry) => entry.configName === 'max.message.bytes')
        ?.configValue,
    );
    expect(maxMessageBytes).toBeLessThan(1_100_000);

    // Three small events on partitions 0-2 and one on partition 3 just over the topic's limit,
    // but within the gateway's 1 MiB of data per event.
    const batch = [0, 1, 2, 3].map((partition) => ({
      type: TYPE,
      id: `batch-${partition}-${randomUUID()}`,
      resourceId: idOnPartition(partition),
      data: partition === 3 ? { blob: 'x'.repeat(1_048_560) } : { n: partition },
    }));
    const answer = await gateway.graphql(
      'mutation($events: [PublishJsonInput!]!) { publishBatch(events: $events) { id } }',
      { events: batch },
    );
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['PAYLOAD_TOO_LARGE']);

    // Markers after the batch on every partition: once a reader has them, it has read past
    // where the batch's records would be.
    const markers = await publishBatch(
      gateway,
      [0, 1, 2, 3].map((partition) => ({
        type: TYPE,
        id: `after-${partition}-${randomUUID()}`,
        resourceId: idOnPartition(partition),
        data: { marker: true },
      })),
    );
    const markerIds = new Set(markers.map((marker) => marker.id));
    const batchIds = new Set(batch.map((event) => event.id));
    const hasMarkers = (records: readonly { id: string }[]) =>
      [...markerIds].every((id) => records.some((record) => record.id === id));

    const committed = await readTopic(native, topic, false, hasMarkers);
    expect(committed.filter((record) => batchIds.has(record.id))).toEqual([]);

    // The gateway's own readers: a subscription from the earliest event of the stream.
    const subscription = subscribeEvents(gateway, 'graphql-ws', {
      streams: ['ledger'],
      from: { earliest: true },
    });
    await waitFor(() => hasMarkers(subscription.events), { what: 'the markers over graphql-ws' });
    expect(subscription.events.filter((event) => batchIds.has(event.id))).toEqual([]);
    subscription.close();

    // What Kafka holds uncommitted: the small events were written, then aborted. Without the
    // transaction they would be the half-written batch of the finding.
    const uncommitted = await readTopic(native, topic, true, hasMarkers);
    const written = uncommitted.filter((record) => batchIds.has(record.id)).length;
    console.info(`publishBatch atomicity: ${written} of 4 records written then aborted, 0 read`);
  });

  test('a batch over several partitions is written whole and read back where its answer says', async () => {
    const batch = [0, 1, 2, 3, 0, 2].map((partition, i) => ({
      type: TYPE,
      id: `whole-${i}-${randomUUID()}`,
      resourceId: idOnPartition(partition),
      data: { i },
    }));
    const results = await publishBatch(gateway, batch);
    expect(results.map((result) => result.id)).toEqual(batch.map((event) => event.id));
    const single = await publishJson(gateway, { type: TYPE, data: { single: true } });

    const subscription = subscribeEvents(gateway, 'graphql-ws', {
      streams: ['ledger'],
      from: { earliest: true },
    });
    const wanted = [...results, single];
    await waitFor(
      () => wanted.every((result) => subscription.events.some((event) => event.id === result.id)),
      { what: 'the batch over graphql-ws' },
    );
    for (const result of wanted) {
      const event = subscription.events.find((received) => received.id === result.id)!;
      expect({ partition: event.partition, offset: event.offset }).toEqual({
        partition: result.partition,
        offset: result.offset,
      });
    }
    subscription.close();
  });
});
