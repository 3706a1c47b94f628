import { setTimeout as delay } from 'node:timers/promises';
import { LogError, LogErrorCode, type LogReader, type ReadOptions } from '../event-log.js';
import { readerLifecycle } from '../reader-lifecycle.js';
import type { KafkaTopicAdmin } from './admin.js';
import { protocolErrorType, toLogError } from './errors.js';
import type { KafkaFetchClient } from './fetch-client.js';
import type { KafkaLogLogger, KafkaReaderTuning } from './options.js';
import { toLogRecord } from './records.js';
import type { TopicNames } from './topic-names.js';

export interface KafkaReaderContext {
  /** A fetch client of the reader's own (its long polls must not delay other readers). */
  readonly client: KafkaFetchClient;
  readonly admin: KafkaTopicAdmin;
  readonly names: TopicNames;
  readonly tuning: Required<KafkaReaderTuning>;
  readonly logger: KafkaLogLogger | undefined;
}

/** The longest pause between two attempts of a reader to get back to its brokers. */
const maxRetryDelayMs = 5000;

/**
 * A reader of one topic without a consumer group: it keeps, per partition, the next offset it
 * owes its caller and fetches from there, long-polling the leaders. Nothing to join, so it is
 * reading as soon as it knows its offsets, and a broker restart or a leader change costs a
 * metadata refresh and a retry, never a lost or repeated record.
 */
export function startKafkaReader(
  context: KafkaReaderContext,
  options: ReadOptions,
  onStopped: () => void,
): LogReader {
  const { client, admin, names, tuning, logger } = context;
  const topic = names.toKafka(options.topic);
  /** The next offset to hand to the caller, per partition: the reader's only state. */
  const next = new Map<number, number>();
  let stopping: Promise<void> | undefined;
  let signalStop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (signalStop = resolve));

  const lifecycle = readerLifecycle();

  /** Starts each partition at its requested offset, kept within what the partition holds. */
  async function resolveOffsets(only?: ReadonlySet<number>): Promise<void> {
    const offsets = await admin.offsets(options.topic);
    for (const { partition, low, high } of offsets) {
      if (only && !only.has(partition)) continue;
      const current = next.get(partition);
      const wanted =
        current ?? options.start?.get(partition) ?? (options.otherwise === 'earliest' ? low : high);
      next.set(partition, Math.min(Math.max(wanted, low), high));
    }
  }

  /** Partitions added to the topic after the reader started hold only new records. */
  async function addNewPartitions(): Promise<void> {
    for (const partition of await client.partitions(topic)) {
      if (!next.has(partition)) next.set(partition, 0);
    }
  }

  async function fetchOnce(): Promise<void> {
    const fetched = await Promise.race([
      client.fetch({
        topic,
        offsets: next,
        maxWaitMs: tuning.maxWaitTimeInMs,
        maxBytesPerPartition: tuning.maxBytesPerPartition,
      }),
      stopSignal.then(() => []),
    ]);
    for (const data of fetched) {
      if (stopping) return;
      const from = next.get(data.partition) ?? 0;
      const records = data.messages
        .filter((message) => Number(message.offset) >= from)
        .map((message) => toLogRecord(options.topic, data.partition, message));
      if (records.length > 0) {
        const delivered = Promise.resolve().then(() =>
          options.onBatch({
            topic: options.topic,
            partition: data.partition,
            records,
            highWatermark: data.highWatermark,
          }),
        );
        // close() from inside onBatch must not wait for this very batch to finish. The caller's
        // failure ends the reader; it is not a Kafka failure to retry.
        await Promise.race([delivered.catch((error: unknown) => stop(error)), stopSignal]);
        if (stopping) return;
      }
      if (data.next > from) next.set(data.partition, data.next);
    }
  }

  async function run(): Promise<void> {
    let failures = 0;
    let sinceNewPartitions = Date.now();
    while (!stopping) {
      try {
        if (next.size === 0) {
          await resolveOffsets();
          await addNewPartitions();
          lifecycle.markReady();
        }
        await fetchOnce();
        failures = 0;
        if (Date.now() - sinceNewPartitions > 30_000) {
          sinceNewPartitions = Date.now();
          await addNewPartitions();
        }
      } catch (error) {
        if (stopping) return;
        const type = protocolErrorType(error);
        if (type === 'OFFSET_OUT_OF_RANGE') {
          // Retention removed records under the reader: go on from what is left. (A reader
          // starting below the low watermark starts at it; this keeps that promise later.)
          await clampToRetained().catch(() => undefined);
          continue;
        }
        const cause = toLogError(error, `read ${options.topic}`);
        if (await isFatal(type, cause)) {
          void stop(cause);
          return;
        }
        const wait = Math.min(tuning.restartDelayMs * 2 ** failures, maxRetryDelayMs);
        failures += 1;
        logger?.warn({ topic: options.topic, err: cause, delayMs: wait }, 'kafka reader retries');
        await Promise.race([delay(wait), stopSignal]);
      }
    }
  }

  async function clampToRetained(): Promise<void> {
    for (const { partition, low, high } of await admin.offsets(options.topic)) {
      const at = next.get(partition);
      if (at !== undefined && (at < low || at > high)) next.set(partition, at < low ? low : high);
    }
  }

  async function isFatal(type: string | undefined, cause: LogError): Promise<boolean> {
    if ((type ?? '').endsWith('AUTHORIZATION_FAILED')) return true;
    if (cause.code !== LogErrorCode.UnknownTopic) return false;
    // Metadata can call a topic unknown for a moment while a broker restarts; ask again.
    const described = await admin.describeTopic(options.topic).catch(() => null);
    return described === undefined;
  }

  /** Stops the reader; with an error, `done` (and `ready`, if pending) rejects with it. */
  function stop(error?: unknown): Promise<void> {
    stopping ??= (async () => {
      signalStop();
      await running;
      await client.close();
      onStopped();
      lifecycle.end(`reader of ${options.topic} closed before ready`, error);
    })();
    return stopping;
  }

  const running = run().catch((error: unknown) => void stop(error));
  return { ready: lifecycle.ready, done: lifecycle.done, close: () => stop() };
}
