import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { LogError, LogErrorCode, type LogReader, type ReadOptions } from '../event-log.js';
import type { KafkaTopicAdmin } from './admin.js';
import { protocolErrorType, toLogError } from './errors.js';
import type { KafkaLogLogger, KafkaReaderTuning } from './options.js';
import { toLogRecord } from './records.js';
import type { TopicNames } from './topic-names.js';

export interface KafkaReaderContext {
  readonly kafka: Kafka;
  readonly admin: KafkaTopicAdmin;
  readonly names: TopicNames;
  readonly tuning: Required<KafkaReaderTuning>;
  readonly logger: KafkaLogLogger | undefined;
}

/** The longest pause between two attempts of a reader to get back to its broker. */
const maxRestartDelayMs = 5000;

/**
 * A reader of one topic. kafkajs has no manual partition assignment, so each reader is the only
 * member of a consumer group of its own; it commits nothing and keeps, per partition, the next
 * offset it owes its caller. Whenever the group is (re)joined (first start, rebalance, restart
 * after a crash) it seeks every partition there, so a broker restart neither loses nor repeats
 * records. kafkajs's own restart after a crash is turned off: the reader restarts in a fresh
 * group instead, which does not wait out the session of its dead former member.
 */
export function startKafkaReader(
  context: KafkaReaderContext,
  options: ReadOptions,
  onStopped: () => void,
): LogReader {
  const { kafka, admin, names, tuning, logger } = context;
  const topic = names.toKafka(options.topic);
  const startedAt = Date.now();
  /** The next offset to hand to the caller, per partition: the reader's only state. */
  const next = new Map<number, number>();
  let consumer: Consumer | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let restarts = 0;
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let signalStop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (signalStop = resolve));

  let markReady!: () => void;
  let failReady!: (error: unknown) => void;
  const ready = new Promise<void>(
    (resolve, reject) => ((markReady = resolve), (failReady = reject)),
  );
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
  // Callers may await only one of the two; neither may become an unhandled rejection.
  ready.catch(() => undefined);
  done.catch(() => undefined);

  async function resolveStartOffsets(): Promise<void> {
    const offsets = await admin.offsets(options.topic);
    for (const { partition, low, high } of offsets) {
      const requested = options.start?.get(partition);
      const wanted = requested ?? (options.otherwise === 'earliest' ? low : high);
      next.set(partition, Math.min(Math.max(wanted, low), high));
    }
  }

  /** Runs with the group joined and before the first fetch (kafkajs emits GROUP_JOIN synchronously). */
  function onJoin(member: Consumer, assignment: Record<string, number[]>): void {
    if (member !== consumer) return;
    for (const partition of assignment[topic] ?? []) {
      // A partition added to the topic after the reader started holds only new records.
      if (!next.has(partition)) next.set(partition, 0);
      member.seek({ topic, partition, offset: String(next.get(partition)) });
    }
    restarts = 0;
    logger?.debug({ topic: options.topic, ms: Date.now() - startedAt }, 'kafka reader joined');
    markReady();
  }

  async function eachBatch({ batch, isStale, heartbeat }: EachBatchPayload, member: Consumer) {
    if (member !== consumer || stopping || isStale()) return;
    const from = next.get(batch.partition) ?? 0;
    const records = batch.messages
      .filter((message) => Number(message.offset) >= from)
      .map((message) => toLogRecord(options.topic, batch.partition, message));
    const last = records[records.length - 1];
    if (!last) return;
    // A slow caller holds the fetch loop; heartbeats keep the group from evicting the reader.
    const heartbeats = setInterval(
      () => void heartbeat().catch(() => undefined),
      tuning.heartbeatInterval,
    );
    try {
      const delivered = Promise.resolve().then(() =>
        options.onBatch({
          topic: options.topic,
          partition: batch.partition,
          records,
          highWatermark: Number(batch.highWatermark),
        }),
      );
      // close() from inside onBatch must not wait for this very batch to finish.
      await Promise.race([delivered, stopSignal]);
      if (stopping) return;
      next.set(batch.partition, last.offset + 1);
    } catch (error) {
      void stop(error);
    } finally {
      clearInterval(heartbeats);
    }
  }

  async function startConsumer(): Promise<void> {
    if (stopping) return;
    let member: Consumer | undefined;
    try {
      if (next.size === 0) await resolveStartOffsets();
      if (stopping) return;
      member = kafka.consumer({
        groupId: names.groupId(`streamgate-reader-${randomUUID()}`),
        sessionTimeout: tuning.sessionTimeout,
        rebalanceTimeout: tuning.rebalanceTimeout,
        heartbeatInterval: tuning.heartbeatInterval,
        maxWaitTimeInMs: tuning.maxWaitTimeInMs,
        minBytes: 1,
        maxBytesPerPartition: tuning.maxBytesPerPartition,
        allowAutoTopicCreation: false,
        retry: {
          retries: 5,
          initialRetryTime: 100,
          maxRetryTime: 1000,
          restartOnFailure: async () => false,
        },
      });
      const joined = member;
      consumer = joined;
      joined.on(joined.events.GROUP_JOIN, (event) =>
        onJoin(joined, event.payload.memberAssignment),
      );
      joined.on(joined.events.CRASH, (event) => void recover(event.payload.error, joined));
      await joined.connect();
      // Only seen when no seek applies (it should not happen): re-reading is safe, skipping is not.
      await joined.subscribe({ topics: [topic], fromBeginning: true });
      await joined.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        eachBatch: (payload) => eachBatch(payload, joined),
      });
    } catch (error) {
      await recover(error, member);
    }
  }

  /** Starts a consumer; stop() waits for a start under way, as kafkajs cannot stop a joining one. */
  function scheduleStart(): void {
    const run = startConsumer();
    starting = run;
    void run.finally(() => {
      if (starting === run) starting = undefined;
    });
  }

  /** After a crash: start again in a fresh group, unless the topic is gone or access is denied. */
  async function recover(error: unknown, failed: Consumer | undefined): Promise<void> {
    if (failed !== consumer) return;
    consumer = undefined;
    await failed?.disconnect().catch(() => undefined);
    if (stopping) return;
    const cause = toLogError(error, `read ${options.topic}`);
    if (await isFatal(error, cause)) {
      // Not awaited: stop() waits for the start this may be part of.
      void stop(cause);
      return;
    }
    const delay = Math.min(tuning.restartDelayMs * 2 ** restarts, maxRestartDelayMs);
    restarts += 1;
    logger?.warn({ topic: options.topic, err: cause, delayMs: delay }, 'kafka reader restarts');
    restartTimer = setTimeout(scheduleStart, delay);
  }

  async function isFatal(error: unknown, cause: LogError): Promise<boolean> {
    const type = protocolErrorType(error) ?? '';
    if (type.endsWith('AUTHORIZATION_FAILED')) return true;
    if (cause.code !== LogErrorCode.UnknownTopic) return false;
    // Metadata can call a topic unknown for a moment while a broker restarts; ask again.
    const described = await admin.describeTopic(options.topic).catch(() => null);
    return described === undefined;
  }

  /** Stops the reader; with an error, `done` (and `ready`, if pending) rejects with it. */
  function stop(error?: unknown): Promise<void> {
    stopping ??= (async () => {
      signalStop();
      clearTimeout(restartTimer);
      await starting;
      const last = consumer;
      consumer = undefined;
      await last?.disconnect().catch(() => undefined);
      onStopped();
      if (error === undefined) {
        failReady(
          new LogError(LogErrorCode.Closed, `reader of ${options.topic} closed before ready`),
        );
        finish();
      } else {
        failReady(error);
        fail(error);
      }
    })();
    return stopping;
  }

  scheduleStart();
  return { ready, done, close: () => stop() };
}
