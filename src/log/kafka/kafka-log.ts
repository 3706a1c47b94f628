import { Kafka } from './kafkajs.js';
import {
  LogError,
  LogErrorCode,
  type EventLog,
  type GroupReader,
  type LogReader,
} from '../event-log.js';
import { createKafkaTopicAdmin, type KafkaTopicAdmin } from './admin.js';
import { protocolErrorType, toLogError, withDeadline } from './errors.js';
import { createKafkaGroupAdmin } from './group-admin.js';
import { startKafkaGroupReader } from './group-consumer.js';
import { kafkaClientConfig, resolveKafkaLogOptions, type KafkaLogOptions } from './options.js';
import { createKafkaAppender } from './producer.js';
import { createKafkaFetchClient, type KafkaFetchClient } from './fetch-client.js';
import { startKafkaReader } from './reader.js';
import { toLogRecord } from './records.js';
import { createTopicNames } from './topic-names.js';

/**
 * The EventLog port on Kafka (kafkajs): one admin client, one producer, a fetch client per
 * reader, and a few fetch clients shared by one-off fetches. No consumer groups.
 */
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
  const appender = createKafkaAppender(
    kafka,
    resolved,
    names,
    async (topic) => {
      const info = await connectedAdmin.describeTopic(topic);
      if (!info) throw new LogError(LogErrorCode.UnknownTopic, `topic ${topic} does not exist`);
      return info.partitions;
    },
    (topic) => connectedAdmin.offsets(topic),
  );
  const readers = new Set<LogReader>();
  // Fetches without a long poll: the broker answers each at once, so a few connections serve
  // many catch-ups. Round-robin over them, so one slow answer delays few others.
  const readerConfig = () =>
    kafkaClientConfig(resolved, {
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  const fetchClients: KafkaFetchClient[] = Array.from({ length: resolved.fetchConnections }, () =>
    createKafkaFetchClient(readerConfig()),
  );
  let nextFetchClient = 0;
  const groupReaders = new Set<GroupReader>();
  /** What every reader, plain or of a group, is given. */
  const readerBasics = { names, tuning: resolved.reader, logger: resolved.logger };
  // Group look-ups on a client of their own (see group-admin.ts).
  const groupAdminClient = kafka.admin();
  const groupAdmin = createKafkaGroupAdmin(groupAdminClient, names);
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
      await Promise.all([...groupReaders].map((reader) => reader.close()));
      await appender.close();
      await Promise.all(fetchClients.map((client) => client.close()));
      await Promise.all([admin.disconnect(), probeClient.disconnect()]).catch(() => undefined);
      await Promise.all([
        admin.disconnect(),
        probeClient.disconnect(),
        groupAdminClient.disconnect(),
      ]).catch(() => undefined);
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
    appendMany: (batches, options) => appender.append(batches, options),
    async fetch({ topic, partition, offset, maxBytes }) {
      if (closed) throw new LogError(LogErrorCode.Closed, 'the event log is closed');
      const client = fetchClients[nextFetchClient++ % fetchClients.length]!;
      const kafkaTopic = names.toKafka(topic);
      const fetchFrom = async (from: number) =>
        (
          await client.fetch({
            topic: kafkaTopic,
            offsets: new Map([[partition, from]]),
            maxWaitMs: 0,
            maxBytesPerPartition: maxBytes ?? resolved.reader.maxBytesPerPartition,
          })
        ).find((fetched) => fetched.partition === partition);
      try {
        let from = offset;
        let fetched = await fetchFrom(from).catch(async (error: unknown) => {
          if (protocolErrorType(error) !== 'OFFSET_OUT_OF_RANGE') throw error;
          // Below what the partition still retains (or past its end): read from its edge.
          const bounds = (await connectedAdmin.offsets(topic)).find(
            (o) => o.partition === partition,
          );
          if (!bounds) throw error;
          from = Math.min(Math.max(offset, bounds.low), bounds.high);
          return fetchFrom(from);
        });
        if (!fetched) {
          throw new LogError(
            LogErrorCode.UnknownTopic,
            `topic ${topic} has no partition ${partition}`,
          );
        }
        return {
          records: fetched.messages.map((message) => toLogRecord(topic, partition, message)),
          next: Math.max(fetched.next, from),
          highWatermark: fetched.highWatermark,
        };
      } catch (error) {
        throw toLogError(error, `fetch ${topic}/${partition}`);
      }
    },
    read(readOptions) {
      if (closed) return closedReader();
      const reader: LogReader = startKafkaReader(
        { ...readerBasics, client: createKafkaFetchClient(readerConfig()), admin: connectedAdmin },
        readOptions,
        () => readers.delete(reader),
      );
      readers.add(reader);
      return reader;
    },
    readGroup(groupOptions) {
      if (closed) return { ...closedReader(), commit: async () => false };
      const reader: GroupReader = startKafkaGroupReader(
        { ...readerBasics, kafka, groupAdmin, offsets: connectedAdmin.offsets },
        groupOptions,
        () => groupReaders.delete(reader),
      );
      groupReaders.add(reader);
      return reader;
    },
    groupOffsets: (group) => groupAdmin.committed(names.groupId(group)),
    listGroups: (prefix) => groupAdmin.list(prefix),
    setGroupOffsets: (group, topic, offsets) =>
      groupAdmin.set(names.groupId(group), topic, offsets),
  };
}

function closedReader(): LogReader {
  const closed = Promise.reject(new LogError(LogErrorCode.Closed, 'the event log is closed'));
  closed.catch(() => undefined);
  return { ready: closed, done: closed, close: async () => undefined };
}
