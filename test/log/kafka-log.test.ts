import kafkajs from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  LogErrorCode,
  type EventLog,
  type LogRecord,
  type ReadOptions,
} from '../../src/log/event-log.js';
import { createKafkaLog, type KafkaLogOptions } from '../../src/log/kafka/index.js';
import { partitionForKey } from '../../src/log/murmur2.js';
import {
  kafkaBrokers,
  startKafka,
  uniqueTopic,
  withKafkaAdmin,
  type KafkaBroker,
} from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';
import { describeEventLogContract } from './event-log-contract.js';

const opened: EventLog[] = [];
const openLog = (options: Partial<KafkaLogOptions> = {}) => {
  const log = createKafkaLog({ brokers: kafkaBrokers(), ...options });
  opened.push(log);
  return log;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((log) => log.close()));
});

/** Reads a topic into an array; the reader closes with its log. */
async function readInto(log: EventLog, options: Omit<ReadOptions, 'onBatch'>) {
  const records: LogRecord[] = [];
  const reader = log.read({ ...options, onBatch: (batch) => void records.push(...batch.records) });
  await reader.ready;
  return { records, reader };
}

const text = (record: LogRecord) => record.value?.toString('utf8');

describeEventLogContract('kafka', async () => {
  const log = createKafkaLog({ brokers: kafkaBrokers() });
  await log.connect();
  return { log, teardown: () => log.close() };
});

describe('createKafkaLog on the test broker', () => {
  it('reads a record written by a plain kafkajs producer, with its key, headers and timestamp', async () => {
    const log = openLog();
    const topic = uniqueTopic('native');
    await log.createTopic({ name: topic });
    const native = new kafkajs.Kafka({
      brokers: kafkaBrokers(),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const producer = native.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        {
          key: 'app-1',
          value: '{"name":"web"}',
          timestamp: '1700000000000',
          headers: {
            ce_type: 'app.created',
            ce_id: Buffer.from('event-1'),
            'content-type': 'application/json',
          },
        },
      ],
    });
    await producer.disconnect();

    const { records } = await readInto(log, { topic, otherwise: 'earliest' });
    await waitFor(() => records.length === 1, { what: 'the native record' });
    expect(records[0]).toMatchObject({
      topic,
      partition: 0,
      offset: 0,
      key: 'app-1',
      timestamp: 1_700_000_000_000,
      headers: { ce_type: 'app.created', ce_id: 'event-1', 'content-type': 'application/json' },
    });
    expect(text(records[0]!)).toBe('{"name":"web"}');
  });

  it('puts the topic prefix on every topic and never shows it', async () => {
    const prefix = `${uniqueTopic('tenant')}.`;
    const prefixed = openLog({ topicPrefix: prefix });
    const plain = openLog();
    const outside = uniqueTopic('outside');
    await plain.createTopic({ name: outside });

    expect(await prefixed.createTopic({ name: 'orders', partitions: 2 })).toBe(true);
    expect(await prefixed.listTopics()).toEqual(['orders']);
    expect(await prefixed.describeTopic('orders')).toMatchObject({ name: 'orders', partitions: 2 });
    expect(await prefixed.describeTopic(outside)).toBeUndefined();
    const visibleToPlain = await plain.listTopics();
    expect(visibleToPlain).toContain(`${prefix}orders`);
    expect(visibleToPlain).toContain(outside);

    const [result] = await prefixed.append('orders', [{ key: 'o-1', value: Buffer.from('x') }]);
    expect(result?.topic).toBe('orders');
    const { records } = await readInto(prefixed, { topic: 'orders', otherwise: 'earliest' });
    await waitFor(() => records.length === 1, { what: 'the prefixed record' });
    expect(records[0]?.topic).toBe('orders');
    expect(await prefixed.offsets('orders')).toHaveLength(2);
  });

  it('answers where each appended record landed, keyed records partitioned as the embedded log does', async () => {
    const log = openLog();
    const [main, other] = [uniqueTopic('landing'), uniqueTopic('landing-other')];
    await log.createTopic({ name: main, partitions: 4 });
    await log.createTopic({ name: other, partitions: 2 });
    const keyed = Array.from({ length: 20 }, (_, i) => ({
      key: `app-${i % 7}`,
      value: Buffer.from(`k${i}`),
    }));
    const unkeyed = Array.from({ length: 8 }, (_, i) => ({
      key: null,
      value: Buffer.from(`n${i}`),
    }));

    const results = await log.appendMany([
      { topic: main, records: keyed },
      { topic: other, records: [{ key: 'elsewhere', value: Buffer.from('o0') }] },
      { topic: main, records: unkeyed },
    ]);
    expect(results.map((r) => r.length)).toEqual([20, 1, 8]);
    results[0]!.forEach((result, i) => {
      expect(result.topic).toBe(main);
      expect(result.partition).toBe(partitionForKey(keyed[i]!.key, 4));
    });
    // Round robin: eight records without a key, two in each of the four partitions.
    const unkeyedPerPartition = [0, 1, 2, 3].map(
      (p) => results[2]!.filter((r) => r.partition === p).length,
    );
    expect(unkeyedPerPartition).toEqual([2, 2, 2, 2]);

    const { records } = await readInto(log, { topic: main, otherwise: 'earliest' });
    await waitFor(() => records.length === 28, { what: '28 records' });
    const valueAt = new Map(records.map((r) => [`${r.partition}/${r.offset}`, text(r)]));
    [...keyed, ...unkeyed].forEach((record, i) => {
      const result = i < 20 ? results[0]![i]! : results[2]![i - 20]!;
      expect(valueAt.get(`${result.partition}/${result.offset}`)).toBe(record.value.toString());
    });
  });

  it('creates topics with their partitions, retention and compaction, once', async () => {
    const log = openLog();
    const [events, registry] = [uniqueTopic('events'), uniqueTopic('registry')];
    expect(await log.createTopic({ name: events, partitions: 3, retentionMs: 3_600_000 })).toBe(
      true,
    );
    expect(await log.createTopic({ name: events, partitions: 5 })).toBe(false);
    expect(await log.describeTopic(events)).toEqual({
      name: events,
      partitions: 3,
      retentionMs: 3_600_000,
    });
    expect(await log.createTopic({ name: registry, compacted: true })).toBe(true);
    expect(await log.describeTopic(registry)).toEqual({
      name: registry,
      partitions: 1,
      retentionMs: -1,
    });

    const admin = new kafkajs.Kafka({
      brokers: kafkaBrokers(),
      logLevel: kafkajs.logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: kafkajs.ConfigResourceTypes.TOPIC,
          name: registry,
          configNames: ['cleanup.policy'],
        },
      ],
    });
    await admin.disconnect();
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('compact');
  });

  it("maps the broker's refusal of a batch over the topic's max.message.bytes, and appends after it", async () => {
    const log = openLog();
    const topic = uniqueTopic('small-limit');
    const admin = new kafkajs.Kafka({
      brokers: kafkaBrokers(),
      logLevel: kafkajs.logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, configEntries: [{ name: 'max.message.bytes', value: '2000' }] }],
    });
    await admin.disconnect();

    // Under the adapter's own record limit, so only the broker can refuse it.
    await expect(
      log.append(topic, [{ key: null, value: Buffer.alloc(10_000) }]),
    ).rejects.toMatchObject({
      code: LogErrorCode.RecordTooLarge,
      retriable: false,
    });
    expect(await log.offsets(topic)).toEqual([{ partition: 0, low: 0, high: 0 }]);
    const [result] = await log.append(topic, [{ key: 'fine', value: Buffer.from('ok') }]);
    expect(result).toEqual({ topic, partition: 0, offset: 0 });
  });

  it('coalesces concurrent appends within the linger window and still answers each in order', async () => {
    const log = openLog({ producerLingerMs: 20 });
    const topic = uniqueTopic('linger');
    await log.createTopic({ name: topic });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        log.append(topic, [{ key: null, value: Buffer.from(`v${i}`) }]),
      ),
    );
    const offsets = results.map(([result]) => result?.offset);
    expect(new Set(offsets).size).toBe(30);
    const { records } = await readInto(log, { topic, otherwise: 'earliest' });
    await waitFor(() => records.length === 30, { what: '30 records' });
    results.forEach(([result], i) => expect(text(records[result!.offset]!)).toBe(`v${i}`));
  });

  it('one-off fetches go on for other topics after a topic they read is deleted in Kafka', async () => {
    const log = openLog();
    await log.connect();
    const [gone, other, later] = [uniqueTopic('gone'), uniqueTopic('other'), uniqueTopic('later')];
    for (const topic of [gone, other, later]) {
      await log.createTopic({ name: topic, partitions: 1 });
      await log.append(topic, [{ key: null, value: Buffer.from(topic) }]);
    }
    // Every connection of the fetch pool reads `gone` and `other` (they take turns).
    for (let i = 0; i < 4; i++) {
      for (const topic of [gone, other]) await log.fetch({ topic, partition: 0, offset: 0 });
    }
    await withKafkaAdmin((admin) => admin.deleteTopics({ topics: [gone] }));
    // An operator deleted `gone` with Kafka's tools: a topic not read before, and one read
    // before, are still fetched, on every connection of the pool.
    for (let i = 0; i < 4; i++) {
      for (const topic of [later, other]) {
        const fetched = await log.fetch({ topic, partition: 0, offset: 0 });
        expect(fetched.records.map(text)).toEqual([topic]);
      }
    }
  });

  it('ends the reader with the error of a failing onBatch', async () => {
    const log = openLog();
    const topic = uniqueTopic('failing');
    await log.createTopic({ name: topic });
    const failure = new Error('subscriber blew up');
    let calls = 0;
    const reader = log.read({
      topic,
      onBatch: () => {
        calls += 1;
        throw failure;
      },
    });
    await reader.ready;
    await log.append(topic, [{ key: null, value: Buffer.from('boom') }]);
    await expect(reader.done).rejects.toBe(failure);
    await log.append(topic, [{ key: null, value: Buffer.from('after') }]);
    expect(calls).toBe(1);
  });

  it('closes a reader from inside its own onBatch', async () => {
    const log = openLog();
    const topic = uniqueTopic('self-close');
    await log.createTopic({ name: topic });
    let closedInside = false;
    const reader = log.read({
      topic,
      otherwise: 'earliest',
      onBatch: async () => {
        await reader.close();
        closedInside = true;
      },
    });
    await reader.ready;
    await log.append(topic, [{ key: null, value: Buffer.from('last') }]);
    await expect(reader.done).resolves.toBeUndefined();
    await waitFor(() => closedInside, { what: 'close() to resolve inside onBatch' });
  });
});

describe('createKafkaLog across a broker restart', () => {
  let broker: KafkaBroker;
  beforeAll(async () => {
    // A broker of its own: stopping the shared one would break every other test file.
    broker = await startKafka({ log: () => undefined });
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('keeps reading after the broker restarts, losing and repeating nothing', async () => {
    const publishTimeoutMs = 3000;
    const log = createKafkaLog({ brokers: broker.brokers, publishTimeoutMs });
    opened.push(log);
    const topic = uniqueTopic('restart');
    await log.createTopic({ name: topic, partitions: 2 });
    const { records } = await readInto(log, { topic, otherwise: 'earliest' });
    const appendValues = async (from: number, to: number) => {
      for (let i = from; i < to; i++)
        await log.append(topic, [{ key: `k${i}`, value: Buffer.from(String(i)) }]);
    };
    await appendValues(0, 10);
    await waitFor(() => records.length === 10, { what: 'the first ten records' });

    await broker.stop();
    await waitFor(async () => !(await log.healthy()), { what: 'healthy() to turn false' });
    const startedAt = Date.now();
    await expect(
      log.append(topic, [{ key: 'lost', value: Buffer.from('x') }]),
    ).rejects.toMatchObject({
      code: LogErrorCode.Unavailable,
      retriable: true,
    });
    // The bound is a deadline timer inside append; the slack covers a busy event loop.
    expect(Date.now() - startedAt).toBeLessThan(publishTimeoutMs + 2000);

    await broker.start();
    await waitFor(() => log.healthy(), { what: 'healthy() to turn true', timeoutMs: 60_000 });
    await appendValues(10, 20);
    await waitFor(() => records.length >= 20, {
      what: 'the reader to catch up',
      timeoutMs: 60_000,
    });
    const values = records.map((r) => Number(text(r))).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // A broker restart takes 5-15 s on a loaded 2-core machine; the waits above are bounded.
  }, 180_000);

  it('a batch given up on while the broker hung leaves the next batches free to be written', async () => {
    const log = createKafkaLog({
      brokers: broker.brokers,
      publishTimeoutMs: 2000,
      transactionalId: uniqueTopic('txn'),
    });
    opened.push(log);
    const topic = uniqueTopic('hung');
    await log.createTopic({ name: topic, partitions: 2 });
    // Keys of both partitions: each batch is a Kafka transaction.
    const keys = ['a', 'b', 'c', 'd', 'e'];
    expect(new Set(keys.map((key) => partitionForKey(key, 2))).size).toBe(2);
    const batch = (label: string) =>
      keys.map((key) => ({ key, value: Buffer.from(`${label}-${key}`) }));
    await log.appendMany([{ topic, records: batch('before') }]);

    broker.pause();
    try {
      await expect(log.appendMany([{ topic, records: batch('hung') }])).rejects.toMatchObject({
        code: LogErrorCode.Unavailable,
      });
    } finally {
      broker.resume();
    }
    // The transaction given up on is still under way when the broker answers again; the next
    // ones are written (before, they failed for good: "There is already an ongoing
    // transaction"). Right after the resume the broker may still be too busy to answer within
    // the 2 s: then the append is refused as UNAVAILABLE, and retried as a client would.
    const labels = ['after-1', 'after-2', 'after-3'];
    for (const label of labels) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const error = await log.appendMany([{ topic, records: batch(label) }]).then(
          () => undefined,
          (failure: unknown) => failure,
        );
        if (error === undefined) break;
        expect(error).toMatchObject({ code: LogErrorCode.Unavailable });
        expect(Date.now()).toBeLessThan(deadline);
      }
    }
    const { records } = await readInto(log, { topic, otherwise: 'earliest' });
    const written = (label: string) => records.filter((r) => text(r)?.startsWith(`${label}-`));
    await waitFor(() => labels.every((label) => written(label).length >= keys.length), {
      what: 'the three later batches, whole',
    });
    // Whole batches only (an attempt given up on may have been committed all the same, whole).
    for (const label of labels) expect(written(label).length % keys.length).toBe(0);
    // The batch given up on was never committed: a committed reader sees none of it.
    expect(written('hung')).toEqual([]);
  }, 120_000);
});
