/**
 * The test broker works with the client the gateway uses (kafkajs 2.2.4): these are the calls
 * that decided the pinned Kafka version (scripts/kafka/release.ts), plus the stop/start that
 * fault tests rely on.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaleBrokers, WORK_DIR_PREFIX } from '../scripts/kafka/stale-brokers.js';
import { createTopicAndWait, kafkaBrokers, startKafka, uniqueTopic } from './support/kafka.js';
import { waitFor } from './support/wait-for.js';

function client(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'kafka-broker-test', brokers, logLevel: logLevel.NOTHING });
}

function idempotentProducer(kafka: Kafka) {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

describe.concurrent('the test broker with kafkajs', () => {
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = client(kafkaBrokers());
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.disconnect();
  });

  it('creates a topic, takes idempotent writes (acks -1) and serves them to a consumer group', async () => {
    const topic = uniqueTopic('broker-roundtrip');
    expect(await createTopicAndWait(admin, { topic, numPartitions: 2 })).toBe(true);
    expect(await admin.listTopics()).toContain(topic);

    const producer = idempotentProducer(kafka);
    await producer.connect();
    const consumer = kafka.consumer({ groupId: uniqueTopic('broker-roundtrip-group') });
    try {
      const sent = await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: 'app-1', value: 'first', headers: { ce_type: 'app.created' } },
          { key: 'app-1', value: 'second', headers: { ce_type: 'app.updated' } },
          { key: 'app-2', value: 'third', headers: { ce_type: 'app.created' } },
        ],
      });
      expect(sent.every((result) => result.errorCode === 0)).toBe(true);

      const received: { key: string; value: string; type: string; partition: number }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message, partition }) => {
          received.push({
            key: String(message.key),
            value: String(message.value),
            type: String(message.headers?.['ce_type']),
            partition,
          });
        },
      });
      await waitFor(() => received.length >= 3, { timeoutMs: 20_000, what: '3 records consumed' });

      expect(received.map(({ key, value, type }) => ({ key, value, type }))).toEqual(
        expect.arrayContaining([
          { key: 'app-1', value: 'first', type: 'app.created' },
          { key: 'app-1', value: 'second', type: 'app.updated' },
          { key: 'app-2', value: 'third', type: 'app.created' },
        ]),
      );
      // One key, one partition, in order.
      const app1 = received.filter((record) => record.key === 'app-1');
      expect(app1.map((record) => record.value)).toEqual(['first', 'second']);
      expect(new Set(app1.map((record) => record.partition)).size).toBe(1);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  it('finds offsets by timestamp (admin.fetchTopicOffsetsByTimestamp)', async () => {
    const topic = uniqueTopic('broker-by-time');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    const producer = idempotentProducer(kafka);
    await producer.connect();
    try {
      const t0 = Date.now() - 60_000;
      await producer.send({
        topic,
        acks: -1,
        messages: [0, 1, 2].map((i) => ({
          key: 'k',
          value: `v${i}`,
          timestamp: String(t0 + i * 1_000),
        })),
      });

      const at = async (timestamp: number) =>
        (await admin.fetchTopicOffsetsByTimestamp(topic, timestamp)).map(
          ({ partition, offset }) => ({
            partition,
            offset,
          }),
        );
      expect(await at(t0 - 1)).toEqual([{ partition: 0, offset: '0' }]);
      expect(await at(t0 + 1_000)).toEqual([{ partition: 0, offset: '1' }]);
      expect(await at(t0 + 1_500)).toEqual([{ partition: 0, offset: '2' }]);
      // After the last record: the high watermark, where the next record will go.
      expect(await at(Date.now() + 60_000)).toEqual([{ partition: 0, offset: '3' }]);
    } finally {
      await producer.disconnect();
    }
  });

  it('does not create topics on first use (auto.create.topics.enable=false)', async () => {
    const topic = uniqueTopic('broker-no-auto-create');
    // A producer asks for metadata with auto-creation allowed (an admin never does), so this
    // is what would create the topic on a broker that auto-creates.
    const producer = kafka.producer({
      retry: { retries: 1, initialRetryTime: 100 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      await expect(producer.send({ topic, messages: [{ value: 'lost' }] })).rejects.toThrow(
        /does not host this topic-partition/i,
      );
    } finally {
      await producer.disconnect();
    }
    expect(await admin.listTopics()).not.toContain(topic);
  });
});

describe('a broker of its own (startKafka)', () => {
  it('stops and starts again on the same port with its data, and close() leaves nothing behind', async () => {
    // Fails with the run's reason when it has no Kafka (no Java, STREAMGATE_NO_KAFKA=1, ...).
    kafkaBrokers();
    const broker = await startKafka({ log: () => {} });
    const kafka = client(broker.brokers);
    const producer = idempotentProducer(kafka);
    const admin = kafka.admin();
    try {
      const topic = uniqueTopic('broker-restart');
      await admin.connect();
      await createTopicAndWait(admin, { topic });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'before' }] });

      await broker.stop();
      expect(broker.isRunning()).toBe(false);
      await broker.start();
      expect(broker.isRunning()).toBe(true);

      // The producer connected before the restart reconnects to the same address by itself.
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'after' }] });
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets).toEqual([expect.objectContaining({ partition: 0, low: '0', high: '2' })]);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
      await broker.close();
    }
    expect(existsSync(broker.workDir)).toBe(false);
    expect(broker.isRunning()).toBe(false);
  }, 120_000);
});

describe('stale broker folders', () => {
  it('removes the folder of a broker whose owner died, and keeps a live owner’s', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'stale-brokers-test-'));
    try {
      const deadPid = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ['-e', '0']);
        child.once('exit', () => resolve(child.pid ?? 0));
      });
      const make = async (name: string, ownerPid: number) => {
        const dir = join(parent, `${WORK_DIR_PREFIX}${name}`);
        await mkdir(join(dir, 'data'), { recursive: true });
        await writeFile(join(dir, 'owner.json'), JSON.stringify({ ownerPid }));
        return dir;
      };
      const orphan = await make('orphan', deadPid);
      const alive = await make('alive', process.pid);

      await removeStaleBrokers(parent);

      expect(existsSync(orphan)).toBe(false);
      expect(JSON.parse(await readFile(join(alive, 'owner.json'), 'utf8'))).toEqual({
        ownerPid: process.pid,
      });
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
