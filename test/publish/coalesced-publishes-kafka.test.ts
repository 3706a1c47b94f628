/**
 * Single publishes under way together share a write but not a fate: on Kafka they go out as
 * plain idempotent sends (each event one record batch, whole), never as one transaction, so
 * they take no offsets for transaction markers and a publishBatch refused beside them fails
 * alone. A publishBatch that spans partitions stays all or nothing (atomic-batch-kafka.test.ts).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createPublisher } from '../../src/events/publisher.js';
import type { AppendResult, EventLog, LogRecord } from '../../src/log/event-log.js';
import { createKafkaLog } from '../../src/log/kafka/index.js';
import { partitionForKey } from '../../src/log/murmur2.js';
import { createTopicAndWait, kafkaBrokers, uniqueTopic, withKafkaAdmin } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';

const PARTITIONS = 4;
const opened: EventLog[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((log) => log.close()));
});

async function openLog(): Promise<EventLog> {
  const log = createKafkaLog({ brokers: kafkaBrokers() });
  opened.push(log);
  await log.connect();
  return log;
}

/** A key that Kafka's default partitioner puts on `partition`. */
function keyOn(partition: number, prefix: string): string {
  for (let i = 0; ; i++) {
    const key = `${prefix}-${i}`;
    if (partitionForKey(key, PARTITIONS) === partition) return key;
  }
}

const single = (stream: string, key: string, bytes = 10) => [
  { stream, record: { key, value: Buffer.from(key.padEnd(bytes, '.')) } },
];

/** A topic whose records Kafka refuses past `maxMessageBytes` (as an adopted topic may). */
async function createLimitedTopic(topic: string, maxMessageBytes: number): Promise<void> {
  await withKafkaAdmin((admin) =>
    createTopicAndWait(admin, {
      topic,
      numPartitions: PARTITIONS,
      configEntries: [{ name: 'max.message.bytes', value: String(maxMessageBytes) }],
    }),
  );
}

/** Every committed record of the topic, once `count` of them are there. */
async function readAll(log: EventLog, topic: string, count: number): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  const reader = log.read({
    topic,
    otherwise: 'earliest',
    onBatch: (batch) => void records.push(...batch.records),
  });
  await reader.ready;
  await waitFor(() => records.length >= count, { what: `${count} records of ${topic}` });
  await reader.close();
  return records;
}

describe('coalesced single publishes on Kafka', () => {
  test('take consecutive offsets on every partition: no room for transaction markers', async () => {
    const log = await openLog();
    const topic = uniqueTopic('singles');
    await log.createTopic({ name: topic, partitions: PARTITIONS });
    const publisher = createPublisher({ log });

    const keys = Array.from({ length: 80 }, (_, i) => `resource-${i}`);
    const results = await Promise.all(keys.map((key) => publisher.append(single(topic, key))));

    const landed = results.map(([result]) => result!);
    const perPartition = new Map<number, number[]>();
    for (const { partition, offset } of landed) {
      perPartition.set(partition, [...(perPartition.get(partition) ?? []), offset]);
    }
    expect(perPartition.size).toBeGreaterThan(1);
    // Every partition holds exactly the events published to it, at 0, 1, 2, …
    const offsets = await log.offsets(topic);
    for (const { partition, high } of offsets) {
      const taken = (perPartition.get(partition) ?? []).sort((a, b) => a - b);
      expect(taken).toEqual(taken.map((_, i) => i));
      expect(high).toBe(taken.length);
    }
    const records = await readAll(log, topic, keys.length);
    expect(records.map((r) => r.key).sort()).toEqual([...keys].sort());
  });

  test('a publishBatch the broker refuses fails alone: single publishes beside it are written', async () => {
    const log = await openLog();
    const topic = uniqueTopic('refused-beside');
    await createLimitedTopic(topic, 2000);
    const publisher = createPublisher({ log });

    // Over the topic's limit on partition 3 only: Kafka refuses that partition's records.
    const batch = [0, 1, 2, 3].flatMap((p) =>
      single(topic, keyOn(p, 'batch'), p === 3 ? 5000 : 10),
    );
    const singles = [0, 1, 2, 3, 0, 1, 2, 3].map((p, i) => single(topic, keyOn(p, `single${i}`)));
    const [batchOutcome, ...singleOutcomes] = await Promise.allSettled([
      publisher.append(batch),
      ...singles.map((event) => publisher.append(event)),
    ]);

    expect(batchOutcome).toMatchObject({
      status: 'rejected',
      reason: { extensions: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    expect(singleOutcomes.map((o) => o.status)).toEqual(singles.map(() => 'fulfilled'));
    const written = singleOutcomes.map(
      (o) => (o as PromiseFulfilledResult<AppendResult[]>).value[0]!,
    );
    expect(new Set(written.map((r) => r.partition))).toEqual(new Set([0, 1, 2, 3]));

    // Then one more event on every partition: a reader that has those has read past the batch.
    const after = [0, 1, 2, 3].map((p) => single(topic, keyOn(p, 'after')));
    await Promise.all(after.map((event) => publisher.append(event)));
    const records = await readAll(log, topic, singles.length + after.length);
    expect(records.map((r) => r.key).sort()).toEqual(
      [...singles, ...after].map((event) => event[0]!.record.key).sort(),
    );
  });

  test('single publishes sent with one the broker refuses: each answered by its own fate', async () => {
    const log = await openLog();
    const topic = uniqueTopic('singles-refused');
    await createLimitedTopic(topic, 2000);
    const publisher = createPublisher({ log });

    // Under way together, so written together: one over the topic's limit on partition 3, one
    // small beside it on partition 3, two small ones on each other partition.
    const tooLarge = single(topic, keyOn(3, 'large'), 5000);
    const besideIt = single(topic, keyOn(3, 'beside'));
    const elsewhere = [0, 1, 2, 0, 1, 2].map((p, i) => single(topic, keyOn(p, `small${i}`)));
    const [largeOutcome, besideOutcome, ...otherOutcomes] = await Promise.allSettled(
      [tooLarge, besideIt, ...elsewhere].map((event) => publisher.append(event)),
    );

    expect(largeOutcome).toMatchObject({
      status: 'rejected',
      reason: { extensions: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    // Its partition's request was refused whole: the small event beside it was not written,
    // and is answered so (a refused publish wrote nothing).
    expect(besideOutcome?.status).toBe('rejected');
    // The others were written, and are acknowledged as written.
    expect(otherOutcomes.map((o) => o.status)).toEqual(elsewhere.map(() => 'fulfilled'));

    const after = single(topic, keyOn(3, 'after'));
    await publisher.append(after);
    const records = await readAll(log, topic, elsewhere.length + 1);
    expect(records.map((r) => r.key).sort()).toEqual(
      [...elsewhere, after].map((event) => event[0]!.record.key).sort(),
    );
  });
});
