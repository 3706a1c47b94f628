import { randomBytes } from 'node:crypto';
import kafkajs, { type Admin, type ITopicConfig } from 'kafkajs';
import { inject } from 'vitest';
import type {} from '../setup/provided-context.js';
import { waitFor } from './wait-for.js';

export { startKafka } from '../../scripts/kafka/start-kafka.js';
export type { KafkaBroker, StartKafkaOptions } from '../../scripts/kafka/start-kafka.js';

/**
 * The bootstrap addresses of the run's Kafka broker (see test/setup/kafka.ts). Throws one line
 * saying why when there is none, so a Kafka test fails instead of skipping silently.
 */
export function kafkaBrokers(): string[] {
  const brokers = inject('kafkaBrokers');
  if (brokers !== undefined && brokers.length > 0) return [...brokers];
  const reason =
    inject('kafkaUnavailable') ||
    'the Kafka global setup did not run (run tests through vitest.config.ts: `npm test` or `npx vitest run <file>`)';
  throw new Error(`No Kafka broker for this test: ${reason}`);
}

/** Runs `use` with a kafkajs admin client of the run's broker, connected, and disconnects it. */
export async function withKafkaAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new kafkajs.Kafka({
    brokers: kafkaBrokers(),
    logLevel: kafkajs.logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * A fresh topic name: `<prefix>-<time>-<random>`, legal for Kafka (letters, digits, '-'),
 * so tests never see each other's records, on a shared broker or across runs.
 */
export function uniqueTopic(prefix = 'test'): string {
  const safe = prefix.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 180);
  return `${safe}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a topic and waits until the broker serves it with a leader for every partition.
 * Resolves true when it was created, false when it already existed (kafkajs's meaning).
 *
 * Why not `admin.createTopics({ waitForLeaders: true })`: on a KRaft broker the new topic can
 * briefly be unknown to the broker's metadata after CreateTopics returns, and kafkajs 2.2.4
 * retries only LEADER_NOT_AVAILABLE, so it fails with "This server does not host this
 * topic-partition" (kafkajs issue #1563). Listing topics first also keeps a not-yet-known name
 * out of the admin's metadata targets, which would fail its other calls.
 */
export async function createTopicAndWait(admin: Admin, topic: ITopicConfig): Promise<boolean> {
  const created = await admin.createTopics({ topics: [topic], waitForLeaders: false });
  const what = `topic ${topic.topic} to be served with leaders`;
  await waitFor(async () => (await admin.listTopics()).includes(topic.topic), { what });
  await waitFor(
    async () => {
      const [served] = (await admin.fetchTopicMetadata({ topics: [topic.topic] })).topics;
      const partitions = served?.partitions ?? [];
      return (
        partitions.length === (topic.numPartitions ?? 1) &&
        partitions.every((partition) => partition.leader >= 0)
      );
    },
    { what },
  );
  return created;
}
