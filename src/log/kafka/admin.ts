import { setTimeout as delay } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { ConfigResourceTypes } from './kafkajs.js';
import {
  LogError,
  LogErrorCode,
  type PartitionOffsets,
  type TopicInfo,
  type TopicSpec,
} from '../event-log.js';
import { protocolErrorType, timeoutError, toLogError } from './errors.js';
import type { TopicNames } from './topic-names.js';

/** Topic administration and offset look-ups; every name in and out is a port (unprefixed) name. */
export interface KafkaTopicAdmin {
  createTopic(spec: TopicSpec): Promise<boolean>;
  describeTopic(name: string): Promise<TopicInfo | undefined>;
  listTopics(): Promise<string[]>;
  offsets(name: string): Promise<PartitionOffsets[]>;
  offsetsForTime(name: string, timestamp: number): Promise<Map<number, number>>;
}

/** Kafka's own topics (`__consumer_offsets`, `__transaction_state`) are nobody's stream. */
const isInternalTopic = (kafkaTopic: string) => kafkaTopic.startsWith('__');

const leadershipInFlux = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
]);

/** Worth another try: kafkajs says so, or leadership is moving, or a broker is unreachable. */
function isTransient(error: unknown, mapped: LogError, unknownTopicIsAnswer: boolean): boolean {
  if (leadershipInFlux.has(protocolErrorType(error) ?? '')) return true;
  if (mapped.code === LogErrorCode.UnknownTopic) return !unknownTopicIsAnswer && mapped.retriable;
  return mapped.code === LogErrorCode.Unavailable;
}

export function createKafkaTopicAdmin(
  admin: Admin,
  names: TopicNames,
  options: { readonly requestTimeout: number; readonly topicMaxMessageBytes: number },
): KafkaTopicAdmin {
  let queue: Promise<unknown> = Promise.resolve();

  /**
   * Runs a kafkajs call, one at a time, turning its failure into a LogError that names the
   * operation. One at a time because every kafkajs admin call replaces the client's cached
   * metadata with the topics it asked about: run side by side, one call's answer erases the
   * topic another is about to look up, and kafkajs then fails with a TypeError.
   */
  function mapped<T>(
    context: string,
    call: () => Promise<T>,
    { unknownTopicIsAnswer = false } = {},
  ): Promise<T> {
    const run = queue.then(async () => {
      const deadline = Date.now() + options.requestTimeout;
      for (let attempt = 0; ; attempt++) {
        try {
          return await call();
        } catch (error) {
          // Transient failures are waited out, within the request timeout: a partition whose
          // leader is still being elected (a topic created a moment ago), and a broker that is
          // restarting (refused connections, then "does not host this topic-partition" while it
          // loads its partitions). Past the deadline the caller gets LOG_UNAVAILABLE.
          const mappedError = toLogError(error, context);
          if (!isTransient(error, mappedError, unknownTopicIsAnswer) || Date.now() > deadline)
            throw mappedError;
          await delay(Math.min(50 * 2 ** attempt, 500));
        }
      }
    });
    queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Until every partition of a new topic has a leader that acts as one (appends and reads work
   * from then on). Metadata names a leader before that broker has taken the partition on, and
   * meanwhile it refuses produce requests as "not the leader": a first append in a transaction
   * would be aborted and retried, leaving an abort marker where its first record was to go.
   * Listing offsets asks each leader itself, and succeeds only once it leads.
   */
  async function waitForLeaders(topic: string): Promise<void> {
    const deadline = Date.now() + options.requestTimeout;
    for (;;) {
      try {
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
        const partitions = metadata.topics[0]?.partitions ?? [];
        if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) {
          await admin.fetchTopicOffsets(topic);
          return;
        }
      } catch (error) {
        const type = protocolErrorType(error) ?? '';
        if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && !leadershipInFlux.has(type)) throw error;
      }
      if (Date.now() > deadline)
        throw timeoutError(`leaders of new topic ${topic}`, options.requestTimeout);
      await delay(50);
    }
  }

  return {
    createTopic: (spec) =>
      mapped(`createTopic ${spec.name}`, async () => {
        const { brokers } = await admin.describeCluster();
        const created = await admin.createTopics({
          // kafkajs's own wait gives up on the first "unknown topic", which KRaft brokers answer
          // for a moment after the controller created it; waitForLeaders below waits that out.
          waitForLeaders: false,
          timeout: options.requestTimeout,
          topics: [
            {
              topic: names.toKafka(spec.name),
              numPartitions: spec.partitions ?? 1,
              // Three copies where the cluster has them; a development broker has one.
              replicationFactor: Math.min(3, brokers.length),
              configEntries: [
                { name: 'retention.ms', value: String(spec.retentionMs ?? -1) },
                { name: 'cleanup.policy', value: spec.compacted ? 'compact' : 'delete' },
                { name: 'max.message.bytes', value: String(options.topicMaxMessageBytes) },
              ],
            },
          ],
        });
        if (created) await waitForLeaders(names.toKafka(spec.name));
        return created;
      }),

    describeTopic: (name) =>
      mapped(`describeTopic ${name}`, async () => {
        const topic = names.toKafka(name);
        let partitions: number;
        try {
          const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
          partitions = metadata.topics[0]?.partitions.length ?? 0;
        } catch (error) {
          if (protocolErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
          throw error;
        }
        if (partitions === 0) return undefined;
        const configs = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [
            { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] },
          ],
        });
        const retention = configs.resources[0]?.configEntries.find(
          (e) => e.configName === 'retention.ms',
        );
        return { name, partitions, retentionMs: Number(retention?.configValue ?? -1) };
      }),

    listTopics: () =>
      mapped('listTopics', async () => {
        const topics = await admin.listTopics();
        return topics
          .filter((topic) => !isInternalTopic(topic))
          .map((topic) => names.fromKafka(topic))
          .filter((name): name is string => name !== undefined)
          .sort();
      }),

    offsets: (name) =>
      mapped(
        `offsets ${name}`,
        async () => {
          const offsets = await admin.fetchTopicOffsets(names.toKafka(name));
          return offsets
            .map(({ partition, low, high }) => ({
              partition,
              low: Number(low),
              high: Number(high),
            }))
            .sort((a, b) => a.partition - b.partition);
        },
        { unknownTopicIsAnswer: true },
      ),

    offsetsForTime: (name, timestamp) =>
      mapped(
        `offsetsForTime ${name}`,
        async () => {
          // kafkajs already answers the high watermark where no record is that recent (-1).
          const offsets = await admin.fetchTopicOffsetsByTimestamp(names.toKafka(name), timestamp);
          return new Map(offsets.map(({ partition, offset }) => [partition, Number(offset)]));
        },
        { unknownTopicIsAnswer: true },
      ),
  };
}
