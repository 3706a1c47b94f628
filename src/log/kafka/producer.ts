import type { Kafka, Message, Producer, RecordMetadata, TopicMessages } from 'kafkajs';
import {
  LogError,
  LogErrorCode,
  PartialAppendError,
  type AppendManyOptions,
  type AppendRecord,
  type AppendResult,
  type PartitionOffsets,
} from '../event-log.js';
import { protocolErrorType, timeoutError, toLogError, withDeadline } from './errors.js';
import type { ResolvedKafkaLogOptions } from './options.js';
import { NO_RETRIES } from './kafkajs.js';
import { createRecordingPartitioner } from './partitioner.js';
import { partitionForKey } from '../murmur2.js';
import { recordBytes, toKafkaMessage } from './records.js';
import type { TopicNames } from './topic-names.js';

export interface TopicRecords {
  readonly topic: string;
  readonly records: readonly AppendRecord[];
}

/** Appends records of any topics, each call (or each linger window) as one produce request. */
export interface KafkaAppender {
  append(batches: readonly TopicRecords[], options?: AppendManyOptions): Promise<AppendResult[][]>;
  /** Sends what lingers, waits for every send under way, then disconnects. */
  close(): Promise<void>;
}

/**
 * One kafkajs producer. It is replaced after any failed send: kafkajs rewinds its sequence
 * numbers when a request fails, yet a request that timed out may have been written, and the next
 * request reusing those numbers would be dropped by the broker as a duplicate. A new producer
 * gets a new producer id, so its numbers cannot collide.
 *
 * There are two, for two ways of sending. Records of one partition are one record batch, which
 * Kafka writes whole or not at all: a plain idempotent send, which kafkajs may retry (one
 * partition, one broker). A request whose appends each lie in one partition, or are made of
 * independent records (merged single publishes), needs no more: one plain send per partition.
 * A request with an append that may span partitions and must be whole is a Kafka
 * transaction, committed only when every partition took its records exactly once, and aborted
 * otherwise, so a reader of committed records (READ_COMMITTED) sees all of it or none of it.
 * Its producer never lets kafkajs retry: kafkajs retries a multi-broker send per broker and,
 * when leadership moved in between, sends some partitions' records twice or not at all (seen
 * on a 3-node cluster during a rolling restart). The appender retries the whole transaction
 * instead, on a fresh producer. Successive transactional producers share `transactionalId`: a
 * new one fences its predecessor and aborts what it left open.
 */
interface ProducerGeneration {
  readonly kind: ProducerKind;
  readonly producer: Producer;
  readonly connected: Promise<void>;
  inFlight: number;
  retired: boolean;
}

type ProducerKind = 'plain' | 'transactional';

/** One produce call: whether its caller gave up on it, and the producers it is using. */
interface Attempt {
  abandoned: boolean;
  readonly using: Set<ProducerGeneration>;
}

interface PendingAppend {
  readonly batches: readonly TopicRecords[];
  /** Its records are independent writes (AppendManyOptions.independentRecords). */
  readonly independentRecords: boolean;
  readonly bytes: number;
  readonly resolve: (results: AppendResult[][]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Kafka asks for a retry of a transaction call while the previous transaction completes, or
 * while another call on the same transaction is under way (kafkajs adds each broker's
 * partitions to the transaction in parallel, which collide on a multi-node cluster).
 */
const CONCURRENT_TRANSACTIONS = 'CONCURRENT_TRANSACTIONS';

/** How long a commit waits for its markers to be visible before it answers all the same. */
const COMMIT_VISIBLE_WAIT_MS = 1000;

export function createKafkaAppender(
  kafka: Kafka,
  options: ResolvedKafkaLogOptions,
  names: TopicNames,
  /** The partition count of a topic (unprefixed name), to place records before a transaction. */
  partitionCount: (topic: string) => Promise<number>,
  /** The committed (READ_COMMITTED) end of each partition of a topic (unprefixed name). */
  committedEnds: (topic: string) => Promise<readonly PartitionOffsets[]>,
): KafkaAppender {
  const partitioner = createRecordingPartitioner();
  const partitionCounts = new Map<string, Promise<number>>();
  const nextNullKeyPartition = new Map<string, number>();

  /**
   * Names each record's partition (Kafka's default rule: murmur2 of the key, round robin for
   * null keys), so a transaction can send one partition at a time.
   */
  async function placeRecords(topic: string, messages: readonly Message[]): Promise<void> {
    let count = partitionCounts.get(topic);
    if (!count) {
      count = partitionCount(topic);
      partitionCounts.set(topic, count);
      count.catch(() => partitionCounts.delete(topic));
    }
    const partitions = await count;
    for (const message of messages) {
      if (message.partition !== undefined && message.partition !== null) continue;
      if (message.key !== null && message.key !== undefined) {
        message.partition = partitionForKey(message.key.toString(), partitions);
      } else {
        const next = nextNullKeyPartition.get(topic) ?? 0;
        nextNullKeyPartition.set(topic, (next + 1) % partitions);
        message.partition = next % partitions;
      }
    }
  }
  const sends = new Set<Promise<void>>();
  const generations = new Map<ProducerKind, ProducerGeneration>();
  let pending: PendingAppend[] = [];
  let pendingBytes = 0;
  let lingerTimer: NodeJS.Timeout | undefined;
  let sending = false;
  let closed = false;

  function currentGeneration(kind: ProducerKind): ProducerGeneration {
    const existing = generations.get(kind);
    if (existing) return existing;
    const producer = kafka.producer({
      idempotent: true,
      ...(kind === 'transactional'
        ? {
            transactionalId: options.transactionalId,
            transactionTimeout: options.transactionTimeoutMs,
          }
        : {}),
      // kafkajs holds one produce request per broker in flight for an idempotent producer anyway;
      // one keeps sequence numbers in order on the connection.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: partitioner.createPartitioner,
      // Plain: finite and short, so a send while the brokers are down gives up within
      // publishTimeoutMs. Transactional: none (see ProducerGeneration).
      retry:
        kind === 'plain'
          ? { retries: 5, initialRetryTime: 100, maxRetryTime: 1000, factor: 0.2, multiplier: 2 }
          : NO_RETRIES,
    });
    const created: ProducerGeneration = {
      kind,
      producer,
      connected: producer.connect(),
      inFlight: 0,
      retired: false,
    };
    created.connected.catch(() => retire(kind, created));
    generations.set(kind, created);
    return created;
  }

  function retire(kind: ProducerKind, retiring: ProducerGeneration): void {
    if (generations.get(kind) === retiring) generations.delete(kind);
    retiring.retired = true;
    if (retiring.inFlight === 0) void retiring.producer.disconnect().catch(() => undefined);
  }

  /** Runs `use` on the current producer of `kind`; a failure retires that producer. */
  async function withProducer<T>(
    kind: ProducerKind,
    use: (producer: Producer) => Promise<T>,
    attempt: Attempt,
  ): Promise<T> {
    const used = currentGeneration(kind);
    used.inFlight += 1;
    attempt.using.add(used);
    try {
      await used.connected;
      return await use(used.producer);
    } catch (error) {
      retire(kind, used);
      throw error;
    } finally {
      attempt.using.delete(used);
      used.inFlight -= 1;
      if (used.retired && used.inFlight === 0)
        void used.producer.disconnect().catch(() => undefined);
    }
  }

  /**
   * `one`: the request is one record batch of one partition. `per-partition`: it need not be
   * whole, each partition's records being whole is enough (see sendTogether); one plain send per
   * partition, under way at once. `transaction`: all of it or none of it.
   */
  async function produce(
    topicMessages: TopicMessages[],
    mode: 'one' | 'per-partition' | 'transaction',
  ): Promise<RecordMetadata[]> {
    const batch = { acks: -1, timeout: options.publishTimeoutMs, topicMessages };
    const attempt: Attempt = { abandoned: false, using: new Set() };
    try {
      return await withDeadline(
        mode === 'transaction'
          ? produceInTransactions(batch, attempt)
          : producePlain(batch, mode, attempt),
        options.publishTimeoutMs,
        () => timeoutError('append', options.publishTimeoutMs),
      );
    } finally {
      // Past the deadline the caller has its answer, and the next append goes out at once. A
      // send still under way keeps its producer busy: kafkajs runs one transaction per producer
      // at a time ("There is already an ongoing transaction"), and an idempotent producer's
      // overlapping sends can reach a broker out of sequence. So that producer is retired: the
      // next append gets a fresh one, which (with the same transactional id) fences the old
      // one, so nothing of an abandoned transaction can commit after that.
      attempt.abandoned = true;
      for (const generation of attempt.using) retire(generation.kind, generation);
    }
  }

  /**
   * Waits (for a moment at most) until readers see a committed transaction's records. Kafka
   * answers the commit before it has written the commit markers to the partitions, and until
   * then a reader of committed records, and the end a `latest` start or a cursor is checked
   * against, stop short of them: a publisher that subscribes from its batch's cursor right after
   * the answer would find the cursor past the end. A partition's committed end is past a
   * record's offset only once its transaction is over there.
   */
  async function untilVisible(responses: readonly RecordMetadata[]): Promise<void> {
    const deadline = Date.now() + COMMIT_VISIBLE_WAIT_MS;
    let waiting = responses;
    for (let pause = 2; waiting.length > 0 && Date.now() < deadline; pause *= 2) {
      const ends = new Map<string, number>();
      for (const kafkaTopic of new Set(waiting.map((r) => r.topicName))) {
        const topic = names.fromKafka(kafkaTopic);
        if (topic === undefined) continue;
        const offsets = await committedEnds(topic).catch(() => []);
        for (const o of offsets) ends.set(`${kafkaTopic}\u0000${o.partition}`, o.high);
      }
      waiting = waiting.filter(
        (r) => (ends.get(`${r.topicName}\u0000${r.partition}`) ?? Infinity) <= Number(r.baseOffset),
      );
      if (waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** `produce` without a transaction: one send, or one send per partition under way at once. */
  function producePlain(
    batch: { acks: number; timeout: number; topicMessages: TopicMessages[] },
    mode: 'one' | 'per-partition',
    attempt: Attempt,
  ): Promise<RecordMetadata[]> {
    const { topicMessages } = batch;
    // A send of one partition goes to one broker: kafkajs's retry of a multi-broker send skips
    // brokers that answered before, and would miss a partition whose leader moved to one of
    // them (see ProducerGeneration).
    const parts = mode === 'one' ? [topicMessages] : byPartition(topicMessages).map((p) => [p]);
    return withProducer(
      'plain',
      async (producer) => {
        const sent = await Promise.allSettled(
          parts.map((part) => producer.sendBatch({ ...batch, topicMessages: part })),
        );
        const failed = sent.find((outcome) => outcome.status === 'rejected');
        const responses = sent.flatMap((outcome) =>
          outcome.status === 'fulfilled' ? outcome.value : [],
        );
        if (failed && responses.length > 0) throw new PartialSend(failed.reason, responses);
        if (failed) throw failed.reason;
        return responses;
      },
      attempt,
    );
  }

  /**
   * Writes the batch in a transaction, and again in a new one (on a new producer) after a
   * failure, until one commits or the caller gives up. A transaction is committed only when
   * Kafka answered for every partition of the batch exactly once; anything else is aborted.
   */
  async function produceInTransactions(
    batch: { acks: number; timeout: number; topicMessages: TopicMessages[] },
    outcome: Attempt,
  ): Promise<RecordMetadata[]> {
    let backoffMs = 20;
    for (let attempt = 1; ; attempt++) {
      // Given up on while waiting to try again: touch no producer. The current one may be
      // another append's by now, and a failure here would retire it in the middle of that
      // append's commit (its next producer fences it: "old epoch", an unexpected error).
      if (outcome.abandoned)
        throw new LogError(LogErrorCode.Unavailable, 'append: the caller gave up');
      let committing = false;
      try {
        return await withProducer(
          'transactional',
          async (producer) => {
            const transaction = await producer.transaction();
            try {
              // One partition at a time: kafkajs sends a multi-broker batch to each broker in
              // parallel, their parallel AddPartitionsToTxn calls collide (CONCURRENT_TRANSACTIONS),
              // and it gives up at the first failure while the other requests are still on their
              // way. Sent in turn, nothing of the transaction is in flight when one part fails.
              const responses: RecordMetadata[] = [];
              for (const part of byPartition(batch.topicMessages)) {
                if (outcome.abandoned) break;
                responses.push(
                  ...(await transaction.sendBatch({ ...batch, topicMessages: [part] })),
                );
              }
              if (outcome.abandoned) {
                throw new LogError(LogErrorCode.Unavailable, 'append: the caller gave up');
              }
              const wrong = unexpectedResponses(
                batch.topicMessages,
                responses,
                partitioner.partitionOf,
              );
              if (wrong) throw new LogError(LogErrorCode.Unavailable, `append: ${wrong}`);
              committing = true;
              await transaction.commit();
              await untilVisible(responses);
              return responses;
            } catch (error) {
              // Abort now rather than leave it to the transaction timeout: until then records
              // written to other partitions hold back every READ_COMMITTED reader of them. The
              // producer is retired all the same (withProducer): a request that timed out may
              // still land after the abort; only the next producer's fencing (a new epoch)
              // aborts whatever of this transaction still arrives.
              if (!committing) await transaction.abort().catch(() => undefined);
              throw error;
            }
          },
          outcome,
        );
      } catch (error) {
        // A commit that failed may still have been written: never write the batch again.
        const retriable =
          protocolErrorType(error) === CONCURRENT_TRANSACTIONS ||
          toLogError(error, 'append').retriable;
        options.logger?.warn(
          {
            attempt,
            committing,
            abandoned: outcome.abandoned,
            retriable,
            err: error instanceof Error ? error.message : String(error),
          },
          'Kafka transaction failed',
        );
        if (committing || outcome.abandoned || !retriable) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 500);
      }
    }
  }

  /** Sends the appends as one request and hands each its results, in input order. */
  async function sendTogether(appends: readonly PendingAppend[]): Promise<void> {
    const messagesPerAppend = appends.map((append) =>
      append.batches.map((batch) => ({
        topic: names.toKafka(batch.topic),
        messages: batch.records.map(toKafkaMessage),
      })),
    );
    try {
      const topicMessages = messagesPerAppend.flat();
      const oneBatch = isOneRecordBatch(topicMessages);
      // Kafka writes each partition's records of a produce request as one record batch, whole
      // or not at all: enough when every append lies in one partition or is made of independent
      // records (single publishes merged by the publisher). Only an append that spans
      // partitions and must be whole needs a transaction.
      const plain = appends.every(
        (append, i) => append.independentRecords || isOneRecordBatch(messagesPerAppend[i] ?? []),
      );
      if (!oneBatch) {
        const byTopic = new Map<string, Message[]>();
        appends.forEach((append, i) =>
          append.batches.forEach((batch, j) => {
            const messages = messagesPerAppend[i]?.[j]?.messages ?? [];
            byTopic.set(batch.topic, [...(byTopic.get(batch.topic) ?? []), ...messages]);
          }),
        );
        for (const [topic, messages] of byTopic) await placeRecords(topic, messages);
      }
      const responses = await produce(
        topicMessages,
        oneBatch ? 'one' : plain ? 'per-partition' : 'transaction',
      );
      const positions = positionsOf(messagesPerAppend.flat(), responses, partitioner.partitionOf);
      appends.forEach((append, i) => {
        const results = resultsOf(append, messagesPerAppend[i] ?? [], positions);
        if (results.every((batch) => batch.every((result) => result !== undefined))) {
          append.resolve(results as AppendResult[][]);
        } else {
          append.reject(new LogError(LogErrorCode.Internal, 'Kafka did not acknowledge a record'));
        }
      });
    } catch (error) {
      const partial = error instanceof PartialSend ? error : undefined;
      const failure = toLogError(partial ? partial.cause : error, 'append');
      const positions = partial
        ? positionsOf(messagesPerAppend.flat(), partial.responses, partitioner.partitionOf)
        : new Map<Message, { partition: number; offset: number }>();
      appends.forEach((append, i) => {
        // Sent one partition at a time, an append whose partitions all took their records was
        // written whole, whatever became of the others'; one of independent records may have
        // been written in part, and says which.
        const results = resultsOf(append, messagesPerAppend[i] ?? [], positions);
        const flat = results.flat();
        if (flat.every((result) => result !== undefined)) {
          append.resolve(results as AppendResult[][]);
        } else if (append.independentRecords && flat.some((result) => result !== undefined)) {
          append.reject(new PartialAppendError(failure, results));
        } else {
          append.reject(failure);
        }
      });
    }
  }

  /**
   * Sends what is pending, one produce request at a time: kafkajs's idempotent producer numbers
   * each partition's batches when a send starts, and two sends under way at once can reach the
   * broker out of order (OUT_OF_ORDER_SEQUENCE_NUMBER). Appends that arrive meanwhile wait; with
   * a linger they go out together, up to `producerBatchBytes` a request.
   */
  function flushPending(): void {
    clearTimeout(lingerTimer);
    lingerTimer = undefined;
    if (pending.length === 0 || sending) return;
    const appends: PendingAppend[] = [];
    let bytes = 0;
    while (pending.length > 0) {
      const next = pending[0]!;
      // Without linger each append is a request of its own, so one caller's failure (say, a
      // topic whose leader is not known yet) never fails another's.
      if (appends.length > 0 && options.producerLingerMs <= 0) break;
      if (appends.length > 0 && bytes + next.bytes > options.producerBatchBytes) break;
      appends.push(pending.shift()!);
      bytes += next.bytes;
    }
    pendingBytes -= bytes;
    sending = true;
    track(
      sendTogether(appends).finally(() => {
        sending = false;
        flushPending();
      }),
    );
  }

  function track(send: Promise<void>): void {
    sends.add(send);
    void send.finally(() => sends.delete(send));
  }

  return {
    append(batches, appendOptions) {
      if (closed)
        return Promise.reject(new LogError(LogErrorCode.Closed, 'the event log is closed'));
      const nonEmpty = batches.filter((batch) => batch.records.length > 0);
      if (nonEmpty.length === 0) return Promise.resolve(batches.map(() => []));
      let bytes = 0;
      for (const batch of nonEmpty) {
        for (const record of batch.records) {
          const size = recordBytes(record);
          // Refused here, the whole append writes nothing (Kafka would refuse only its partition).
          if (size > options.maxRecordBytes) {
            return Promise.reject(
              new LogError(
                LogErrorCode.RecordTooLarge,
                `a record of ${size} bytes is over the limit of ${options.maxRecordBytes}`,
                { retriable: false },
              ),
            );
          }
          bytes += size;
        }
      }
      return new Promise<AppendResult[][]>((resolve, reject) => {
        // Batches without records are dropped from the request but keep their place in the result.
        const append: PendingAppend = {
          batches: nonEmpty,
          independentRecords: appendOptions?.independentRecords ?? false,
          bytes,
          reject,
          resolve: (results) => {
            let next = 0;
            resolve(
              batches.map((batch) => (batch.records.length > 0 ? (results[next++] ?? []) : [])),
            );
          },
        };
        pending.push(append);
        pendingBytes += bytes;
        if (options.producerLingerMs <= 0 || pendingBytes >= options.producerBatchBytes) {
          flushPending();
        } else {
          lingerTimer ??= setTimeout(flushPending, options.producerLingerMs);
        }
      });
    },
    async close() {
      closed = true;
      // Each finished send starts the next with what waited; drain until nothing is left.
      while (pending.length > 0 || sends.size > 0) {
        flushPending();
        await Promise.allSettled([...sends]);
      }
      const last = [...generations.values()];
      generations.clear();
      for (const generation of last) {
        await generation.connected.catch(() => undefined);
        await generation.producer.disconnect().catch(() => undefined);
      }
    },
  };
}

/** The batch's messages grouped by topic and (named) partition, in order of first appearance. */
function byPartition(batches: readonly TopicMessages[]): TopicMessages[] {
  const groups = new Map<string, TopicMessages>();
  for (const batch of batches) {
    for (const message of batch.messages) {
      const key = `${batch.topic}\u0000${message.partition}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { topic: batch.topic, messages: [] }));
      group.messages.push(message);
    }
  }
  return [...groups.values()];
}

/**
 * What is wrong with a transaction's responses, if anything: Kafka must have answered once for
 * every partition the batch's records went to, and for no other.
 */
function unexpectedResponses(
  batches: readonly TopicMessages[],
  responses: readonly RecordMetadata[],
  partitionOf: (message: Message) => number | undefined,
): string | undefined {
  const sent = new Set<string>();
  for (const batch of batches) {
    for (const message of batch.messages) sent.add(`${batch.topic}/${partitionOf(message)}`);
  }
  const answered = responses.map((r) => `${r.topicName}/${r.partition}`);
  const repeated = answered.filter((key, i) => answered.indexOf(key) !== i);
  if (repeated.length > 0) return `Kafka answered twice for ${repeated.join(', ')}; aborted`;
  const missing = [...sent].filter((key) => !answered.includes(key));
  if (missing.length > 0) return `Kafka did not answer for ${missing.join(', ')}; aborted`;
  const extra = answered.filter((key) => !sent.has(key));
  if (extra.length > 0) return `Kafka answered for ${extra.join(', ')}, not sent; aborted`;
  return undefined;
}

/**
 * True when Kafka writes the append as one record batch of one partition: a single record, or
 * records of one topic that all name the same partition or all carry the same key. Anything
 * else may span partitions and goes in a transaction (records with different keys that happen
 * to share a partition pay for a transaction they did not need, which is only slower).
 */
function isOneRecordBatch(batches: readonly TopicMessages[]): boolean {
  const messages = batches.flatMap((batch) => batch.messages);
  if (messages.length <= 1) return true;
  if (new Set(batches.map((batch) => batch.topic)).size > 1) return false;
  const first = messages[0]!;
  if (first.partition !== undefined && first.partition !== null) {
    return messages.every((message) => message.partition === first.partition);
  }
  if (first.key === null || first.key === undefined) return false;
  const key = first.key.toString();
  return messages.every(
    (message) =>
      (message.partition === undefined || message.partition === null) &&
      message.key !== null &&
      message.key !== undefined &&
      message.key.toString() === key,
  );
}

/**
 * Where each message landed. Kafka answers one base offset per partition; the records of a
 * partition follow in the order kafkajs sent them (input order, topics merged in order of first
 * appearance), so a record's offset is the base plus its index among its partition's records.
 */
function positionsOf(
  batches: readonly TopicMessages[],
  responses: readonly RecordMetadata[],
  partitionOf: (message: Message) => number | undefined,
): Map<Message, { partition: number; offset: number }> {
  const baseOffsets = new Map<string, number>();
  for (const response of responses) {
    baseOffsets.set(
      `${response.topicName}\u0000${response.partition}`,
      Number(response.baseOffset),
    );
  }
  const nextIndex = new Map<string, number>();
  const positions = new Map<Message, { partition: number; offset: number }>();
  const topicsInOrder = [...new Set(batches.map((batch) => batch.topic))];
  for (const topic of topicsInOrder) {
    for (const batch of batches) {
      if (batch.topic !== topic) continue;
      for (const message of batch.messages) {
        const partition = partitionOf(message);
        if (partition === undefined) continue;
        const key = `${topic}\u0000${partition}`;
        const base = baseOffsets.get(key);
        if (base === undefined) continue;
        const index = nextIndex.get(key) ?? 0;
        nextIndex.set(key, index + 1);
        positions.set(message, { partition, offset: base + index });
      }
    }
  }
  return positions;
}

/** Some partitions of a plain send took their records and some did not. */
class PartialSend extends Error {
  constructor(
    override readonly cause: unknown,
    readonly responses: readonly RecordMetadata[],
  ) {
    super('some partitions of the send failed', { cause });
  }
}

/** Where each record of an append landed, per batch; undefined for a record not written. */
function resultsOf(
  append: PendingAppend,
  messagesPerBatch: readonly TopicMessages[],
  positions: ReadonlyMap<Message, { partition: number; offset: number }>,
): (AppendResult | undefined)[][] {
  return messagesPerBatch.map((batch, j) =>
    batch.messages.map((message) => {
      const position = positions.get(message);
      return position && { topic: append.batches[j]?.topic ?? '', ...position };
    }),
  );
}
