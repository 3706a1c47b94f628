import { Kafka } from './kafkajs.js';
import { LogError, LogErrorCode, type EventLog, type LogReader } from '../event-log.js';
import { createKafkaTopicAdmin, type KafkaTopicAdmin } from './admin.js';
import { toLogError, withDeadline } from './errors.js';
import { kafkaClientConfig, resolveKafkaLogOptions, type KafkaLogOptions } from './options.js';
import { createKafkaAppender } from './producer.js';
import { startKafkaReader } from './reader.js';
import { createTopicNames } from './topic-names.js';

/** The EventLog port on Kafka (kafkajs): one admin client, one producer, one consumer per reader. */
export function createKafkaLog(options: KafkaLogOptions): EventLog {
  const resolved = resolveKafkaLogOptions(options);
  const names = createTopicNames(resolved.topicPrefix);
  const kafka = new Kafka(
    kafkaClientConfig(resolved, {
      // Connecting and metadata: a few quick tries, so callers hear "unavailable" in seconds.
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000, factor: 0.2, multiplier: 2 },
    }),
  );
  const admin = kafka.admin();
  // The readiness probe has a client of its own: sharing the admin client, it would wait behind
  // slow admin calls, or (run beside them) overwrite their cached metadata (see admin.ts).
  const probeClient = kafka.admin();
  let probeConnected: Promise<void> | undefined;
  const appender = createKafkaAppender(kafka, resolved, names, async (topic) => {
    const info = await connectedAdmin.describeTopic(topic);
    if (!info) throw new LogError(LogErrorCode.UnknownTopic, `topic ${topic} does not exist`);
    return info.partitions;
  });
  const readers = new Set<LogReader>();
  let connecting: Promise<void> | undefined;
  let closed = false;
  let health: { at: number; answer: Promise<boolean> } | undefined;

  function connect(): Promise<void> {
    if (closed) return Promise.reject(new LogError(LogErrorCode.Closed, 'the event log is closed'));
    connecting ??= admin.connect().catch((error: unknown) => {
      connecting = undefined;
      throw toLogError(error, 'connect to Kafka');
    });
    return connecting;
  }

  /** Every admin call connects first, so a log is usable without an explicit connect(). */
  const topicAdmin = createKafkaTopicAdmin(admin, names, resolved);
  const connectedAdmin: KafkaTopicAdmin = {
    createTopic: async (spec) => (await connect(), topicAdmin.createTopic(spec)),
    describeTopic: async (name) => (await connect(), topicAdmin.describeTopic(name)),
    listTopics: async () => (await connect(), topicAdmin.listTopics()),
    offsets: async (name) => (await connect(), topicAdmin.offsets(name)),
    offsetsForTime: async (name, timestamp) => (
      await connect(),
      topicAdmin.offsetsForTime(name, timestamp)
    ),
  };

  async function probe(): Promise<boolean> {
    try {
      await withDeadline(
        (async () => {
          probeConnected ??= probeClient.connect().catch((error: unknown) => {
            probeConnected = undefined;
            throw error;
          });
          await probeConnected;
          await probeClient.describeCluster();
        })(),
        resolved.healthTimeoutMs,
        () => new Error('health probe timed out'),
      );
      return true;
    } catch {
      return false;
    }
  }

  return {
    kind: 'kafka',
    connect,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...readers].map((reader) => reader.close()));
      await appender.close();
      await Promise.all([admin.disconnect(), probeClient.disconnect()]).catch(() => undefined);
    },
    healthy() {
      if (closed) return Promise.resolve(false);
      const now = Date.now();
      if (!health || now - health.at >= resolved.healthCacheMs)
        health = { at: now, answer: probe() };
      return health.answer;
    },
    // Kafka checks and repairs its own storage (replicas); nothing to report here.
    damage: () => [],
    ...connectedAdmin,
    async append(topic, records) {
      const [results] = await appender.append([{ topic, records }]);
      return results ?? [];
    },
    appendMany: (batches) => appender.append(batches),
    read(readOptions) {
      if (closed) return closedReader();
      const reader: LogReader = startKafkaReader(
        { kafka, admin: connectedAdmin, names, tuning: resolved.reader, logger: resolved.logger },
        readOptions,
        () => readers.delete(reader),
      );
      readers.add(reader);
      return reader;
    },
  };
}

function closedReader(): LogReader {
  const closed = Promise.reject(new LogError(LogErrorCode.Closed, 'the event log is closed'));
  closed.catch(() => undefined);
  return { ready: closed, done: closed, close: async () => undefined };
}
