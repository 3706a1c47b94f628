/**
 * Group-less fetches on kafkajs's protocol client.
 *
 * kafkajs has no manual partition assignment: its consumer always joins a consumer group, and a
 * new group waits `group.initial.rebalance.delay.ms` (3 s on a broker with Kafka's defaults)
 * before it reads, and leaves a group behind that clusters with ACLs must have granted in
 * advance. A reader that knows its partitions and offsets needs none of that: it sends Fetch
 * requests to each partition's leader, as Kafka's own `assign()` consumers do.
 *
 * kafkajs exports no such client, so this is the one file that uses kafkajs internals (its
 * `Cluster`, which keeps metadata and broker connections, its logger and its aborted-transaction
 * filter). The EventLog contract suite and test/log/kafka-fetch-client.test.ts run it against a
 * real broker, so a kafkajs release that moves them fails those tests rather than production.
 */
import { createRequire } from 'node:module';
import type { KafkaConfig, KafkaMessage } from 'kafkajs';
import { protocolErrorType } from './errors.js';

const require = createRequire(import.meta.url);

interface KafkaJsLogger {
  namespace(name: string): unknown;
}
interface KafkaJsBroker {
  fetch(request: {
    replicaId?: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: {
      topic: string;
      partitions: { partition: number; fetchOffset: string; maxBytes: number }[];
    }[];
  }): Promise<{
    responses: {
      topicName: string;
      partitions: {
        partition: number;
        highWatermark: string;
        lastStableOffset?: string;
        abortedTransactions?: { producerId: string; firstOffset: string }[];
        messages: (KafkaMessage & { isControlRecord?: boolean })[];
      }[];
    }[];
  }>;
}
interface KafkaJsCluster {
  /** The topics whose metadata every refresh asks for. */
  readonly targetTopics: Set<string>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string }): Promise<KafkaJsBroker>;
}
type ClusterConstructor = new (options: Record<string, unknown>) => KafkaJsCluster;

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs internals, see the header. */
const Cluster = require('kafkajs/src/cluster/index.js') as ClusterConstructor;
const { createLogger } = require('kafkajs/src/loggers/index.js') as {
  createLogger(options: { level: number; logCreator: unknown }): KafkaJsLogger;
};
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages.js') as (input: {
  messages: KafkaMessage[];
  abortedTransactions: { producerId: string; firstOffset: string }[];
}) => KafkaMessage[];
const defaultSocketFactory = require('kafkajs/src/network/socketFactory.js') as () => unknown;
/* eslint-enable @typescript-eslint/no-require-imports */

/** Kafka's isolation level: records of aborted or open transactions are never read. */
const READ_COMMITTED = 1;

/** One partition's share of a fetch. */
export interface FetchedPartition {
  readonly partition: number;
  /** Committed, non-control records at or after the fetch offset. */
  readonly messages: readonly KafkaMessage[];
  /** Past the last record the broker returned (which may be a marker or an aborted record). */
  readonly next: number;
  readonly highWatermark: number;
}

export interface FetchRequest {
  /** The Kafka topic name (prefixed). */
  readonly topic: string;
  /** Offset to fetch from, per partition. */
  readonly offsets: ReadonlyMap<number, number>;
  /** How long the broker may wait for `minBytes` (the live tail's long poll). 0: answer at once. */
  readonly maxWaitMs: number;
  readonly maxBytesPerPartition: number;
}

export interface KafkaFetchClient {
  /**
   * Fetches the partitions from their leaders (one request per leader, in parallel). Rejects
   * with kafkajs's error when any request fails (a partition error, such as
   * OFFSET_OUT_OF_RANGE, fails the request it was part of); metadata is refreshed before the
   * promise rejects, so a retry goes to the new leaders.
   */
  fetch(request: FetchRequest): Promise<FetchedPartition[]>;
  /** The topic's partition numbers, from metadata. */
  partitions(topic: string): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * A fetch client with connections of its own: a broker answers the requests of one connection
 * in order, so a tail's long poll must not sit in front of another reader's fetches.
 */
export function createKafkaFetchClient(config: KafkaConfig): KafkaFetchClient {
  const logger = createLogger({
    level: config.logLevel ?? 0,
    logCreator: config.logCreator ?? (() => () => undefined),
  });
  const cluster = new Cluster({
    logger,
    socketFactory: config.socketFactory ?? defaultSocketFactory(),
    brokers: config.brokers,
    ssl: config.ssl,
    sasl: config.sasl,
    clientId: config.clientId,
    connectionTimeout: config.connectionTimeout,
    authenticationTimeout: config.authenticationTimeout,
    reauthenticationThreshold: config.reauthenticationThreshold,
    requestTimeout: config.requestTimeout,
    enforceRequestTimeout: true,
    metadataMaxAge: 30_000,
    retry: config.retry,
    allowAutoTopicCreation: false,
    maxInFlightRequests: null,
    isolationLevel: READ_COMMITTED,
  });
  let connecting: Promise<void> | undefined;
  const targets = new Set<string>();

  async function ready(topic: string): Promise<void> {
    connecting ??= cluster.connect().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    });
    await connecting;
    if (!targets.has(topic)) {
      await cluster.addTargetTopic(topic).catch(async (error: unknown) => {
        if (!(await forgetGoneTopics(error, topic))) throw error;
      });
      targets.add(topic);
    }
  }

  /**
   * kafkajs refreshes the metadata of every topic it was ever asked about at once, and fails
   * the whole refresh when one of them no longer exists (deleted with Kafka's tools): from then
   * on no new topic could be added and no moved leader learned. On that failure the client
   * starts over from `topic` alone (the others come back on their next fetch). True when
   * `topic`'s metadata is then loaded.
   */
  async function forgetGoneTopics(error: unknown, topic: string): Promise<boolean> {
    if (protocolErrorType(error) !== 'UNKNOWN_TOPIC_OR_PARTITION' || targets.size === 0) {
      return false;
    }
    targets.clear();
    cluster.targetTopics.clear();
    await cluster.addTargetTopic(topic);
    return true;
  }

  async function fetchFromLeader(
    request: FetchRequest,
    nodeId: string,
    partitions: number[],
  ): Promise<FetchedPartition[]> {
    const broker = await cluster.findBroker({ nodeId });
    const response = await broker.fetch({
      isolationLevel: READ_COMMITTED,
      maxWaitTime: request.maxWaitMs,
      minBytes: 1,
      maxBytes: request.maxBytesPerPartition * partitions.length,
      topics: [
        {
          topic: request.topic,
          partitions: partitions.map((partition) => ({
            partition,
            fetchOffset: String(request.offsets.get(partition) ?? 0),
            maxBytes: request.maxBytesPerPartition,
          })),
        },
      ],
    });
    const fetched: FetchedPartition[] = [];
    for (const topicResponse of response.responses) {
      for (const data of topicResponse.partitions) {
        const from = request.offsets.get(data.partition) ?? 0;
        // A compressed batch can start before the offset asked for.
        const raw = data.messages.filter((message) => Number(message.offset) >= from);
        const last = raw[raw.length - 1];
        const committed = filterAbortedMessages({
          messages: raw,
          abortedTransactions: data.abortedTransactions ?? [],
        }).filter((message) => !(message as { isControlRecord?: boolean }).isControlRecord);
        fetched.push({
          partition: data.partition,
          messages: committed,
          next: last ? Number(last.offset) + 1 : from,
          highWatermark: Number(data.highWatermark),
        });
      }
    }
    return fetched;
  }

  return {
    async fetch(request) {
      try {
        await ready(request.topic);
        const leaders = cluster.findLeaderForPartitions(request.topic, [...request.offsets.keys()]);
        const answers = await Promise.all(
          Object.entries(leaders).map(([nodeId, partitions]) =>
            fetchFromLeader(request, nodeId, partitions),
          ),
        );
        return answers.flat();
      } catch (error) {
        // A leader moved, a broker went away, or the topic changed: ask again next time.
        await cluster
          .refreshMetadata()
          .catch((refreshError: unknown) => forgetGoneTopics(refreshError, request.topic))
          .catch(() => undefined);
        throw error;
      }
    },
    async partitions(topic) {
      await ready(topic);
      return cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
    },
    async close() {
      connecting = undefined;
      await cluster.disconnect().catch(() => undefined);
    },
  };
}
