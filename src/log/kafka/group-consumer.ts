import { setTimeout as delay } from 'node:timers/promises';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import {
  LogErrorCode,
  type GroupReader,
  type GroupReadOptions,
  type TopicPartition,
} from '../event-log.js';
import { readerLifecycle } from '../reader-lifecycle.js';
import type { KafkaGroupAdmin } from './group-admin.js';
import { protocolErrorType, toLogError } from './errors.js';
import type { KafkaLogLogger, KafkaReaderTuning } from './options.js';
import { toLogRecord } from './records.js';
import type { TopicNames } from './topic-names.js';

export interface KafkaGroupContext {
  readonly kafka: Kafka;
  readonly groupAdmin: KafkaGroupAdmin;
  readonly offsets: (topic: string) => Promise<{ partition: number; low: number; high: number }[]>;
  readonly names: TopicNames;
  readonly tuning: Required<KafkaReaderTuning>;
  readonly logger: KafkaLogLogger | undefined;
}

const maxRestartDelayMs = 5000;
/** How long a commit keeps trying through a rebalance before it gives up. */
const commitPatienceMs = 15_000;

/**
 * One member of a real Kafka consumer group (`names.groupId(options.group)`): Kafka spreads the
 * partitions over the group's members (one per gateway instance), and offsets are committed
 * only by `commit()`, never by kafkajs on its own.
 *
 * kafkajs gives a member no say in where a partition without a committed offset starts, and
 * emits GROUP_JOIN before fetching without waiting for its listeners. So each newly assigned
 * partition is held back until its committed offset has been looked up: none means the group
 * never read it, and the member commits the requested start first. A partition whose batch
 * is still being handled is paused, so one busy partition never holds back the others.
 */
export function startKafkaGroupReader(
  context: KafkaGroupContext,
  options: GroupReadOptions,
  onStopped: () => void,
): GroupReader {
  const { kafka, names, tuning, logger, groupAdmin } = context;
  const groupId = names.groupId(options.group);
  const kafkaTopics = [...new Set(options.topics)].map((topic) => names.toKafka(topic));
  const portTopic = (kafkaTopic: string) => names.fromKafka(kafkaTopic) ?? kafkaTopic;
  /** Per held partition: the next offset owed to the caller, once known. */
  const next = new Map<string, number>();
  /** Per held partition: settles once its start is known (committed, or committed now). */
  const initialized = new Map<string, Promise<void>>();
  let held = new Set<string>();
  let consumer: Consumer | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let restarts = 0;
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let signalStop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (signalStop = resolve));

  const lifecycle = readerLifecycle();

  /** Commits as this member: Kafka checks the generation, so a commit during a rebalance retries. */
  async function commitAsMember(
    member: Consumer,
    topic: string,
    partition: number,
    offset: number,
  ): Promise<boolean> {
    const deadline = Date.now() + commitPatienceMs;
    for (let attempt = 0; ; attempt++) {
      if (member !== consumer || !held.has(key(topic, partition)) || stopping) return false;
      try {
        await member.commitOffsets([
          { topic: names.toKafka(topic), partition, offset: String(offset) },
        ]);
        return true;
      } catch (error) {
        if (Date.now() > deadline) throw toLogError(error, `commit ${topic}/${partition}`);
        await delay(Math.min(100 * 2 ** attempt, 1000));
      }
    }
  }

  async function initialize(member: Consumer, added: readonly TopicPartition[]): Promise<void> {
    const byTopic = new Map<string, number[]>();
    for (const tp of added) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    const committed = await groupAdmin.committed(groupId, [...byTopic.keys()]);
    for (const [topic, partitions] of byTopic) {
      const marks = await context.offsets(topic);
      for (const partition of partitions) {
        const mark = marks.find((m) => m.partition === partition);
        const low = mark?.low ?? 0;
        const high = mark?.high ?? 0;
        let start = committed.get(topic)?.get(partition);
        if (start === undefined) {
          const wanted =
            options.start?.get(topic)?.get(partition) ??
            (options.otherwise === 'earliest' ? low : high);
          start = Math.min(Math.max(wanted, low), high);
          await commitAsMember(member, topic, partition, start);
        }
        start = Math.max(start, low);
        next.set(key(topic, partition), start);
        if (member === consumer && held.has(key(topic, partition))) {
          member.seek({ topic: names.toKafka(topic), partition, offset: String(start) });
        }
      }
    }
  }

  /** Runs with the group joined, before the first fetch of the new generation. */
  function onJoin(member: Consumer, assignment: Record<string, number[]>): void {
    if (member !== consumer) return;
    const now: TopicPartition[] = [];
    for (const [kafkaTopic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) now.push({ topic: portTopic(kafkaTopic), partition });
    }
    const nowKeys = new Set(now.map((tp) => key(tp.topic, tp.partition)));
    for (const k of held) {
      if (!nowKeys.has(k)) {
        next.delete(k);
        initialized.delete(k);
      }
    }
    const added = now.filter((tp) => !held.has(key(tp.topic, tp.partition)));
    held = nowKeys;
    // Kept partitions go on where this member left them, not from the last commit.
    for (const tp of now) {
      const at = next.get(key(tp.topic, tp.partition));
      if (at !== undefined && initialized.has(key(tp.topic, tp.partition)))
        member.seek({
          topic: names.toKafka(tp.topic),
          partition: tp.partition,
          offset: String(at),
        });
    }
    // A partition paused when this member last held it would never be fetched again.
    for (const tp of added)
      member.resume([{ topic: names.toKafka(tp.topic), partitions: [tp.partition] }]);
    options.onAssigned(now);
    const init = initialize(member, added);
    init.catch((error: unknown) => void recover(error, member));
    for (const tp of added) initialized.set(key(tp.topic, tp.partition), init);
    void init.then(
      () => {
        if (member === consumer) {
          restarts = 0;
          lifecycle.markReady();
        }
      },
      () => undefined,
    );
  }

  async function eachBatch({ batch, isStale }: EachBatchPayload, member: Consumer) {
    if (member !== consumer || stopping || isStale()) return;
    const topic = portTopic(batch.topic);
    const k = key(topic, batch.partition);
    const init = initialized.get(k);
    if (!init || !held.has(k)) return;
    await Promise.race([init, stopSignal]);
    const from = next.get(k);
    if (from === undefined || member !== consumer || stopping || !held.has(k)) return;
    // Offsets may have gaps (transaction markers take one), so a batch may begin past `from`.
    const records = batch.messages
      .filter((message) => Number(message.offset) >= from)
      .map((message) => toLogRecord(topic, batch.partition, message));
    // Past the transaction markers the fetch held too, so the position can reach the end.
    const nextOffset = Number(batch.lastOffset()) + 1;
    if (nextOffset <= from) return;
    next.set(k, nextOffset);
    const handled = options.onBatch({
      topic,
      partition: batch.partition,
      records,
      highWatermark: Number(batch.highWatermark),
      nextOffset,
    });
    if (handled instanceof Promise) {
      const tp = [{ topic: batch.topic, partitions: [batch.partition] }];
      member.pause(tp);
      handled.then(
        () => {
          if (member === consumer && held.has(k)) member.resume(tp);
        },
        (error: unknown) => void stop(error),
      );
    }
  }

  function skipMarkers(
    member: Consumer,
    kafkaTopic: string,
    partition: number,
    lastOffset: string,
  ) {
    const topic = portTopic(kafkaTopic);
    const k = key(topic, partition);
    const from = next.get(k);
    const nextOffset = Number(lastOffset) + 1;
    if (member !== consumer || stopping || !held.has(k) || from === undefined) return;
    if (!(nextOffset > from)) return;
    next.set(k, nextOffset);
    const handled = options.onBatch({
      topic,
      partition,
      records: [],
      highWatermark: nextOffset,
      nextOffset,
    });
    if (handled instanceof Promise) handled.catch((error: unknown) => void stop(error));
  }

  async function startConsumer(): Promise<void> {
    if (stopping) return;
    let member: Consumer | undefined;
    try {
      member = kafka.consumer({
        groupId,
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
      // kafkajs does not call eachBatch for a fetch of transaction markers only; its batch
      // instrumentation event still tells how far the partition was read.
      joined.on(joined.events.END_BATCH_PROCESS, (event) => {
        if (event.payload.batchSize !== 0) return;
        skipMarkers(joined, event.payload.topic, event.payload.partition, event.payload.lastOffset);
      });
      joined.on(joined.events.CRASH, (event) => void recover(event.payload.error, joined));
      await joined.connect();
      // Partitions without a committed offset are positioned by initialize(); a partition added
      // to a topic later holds only new records, so its beginning is right.
      await joined.subscribe({ topics: kafkaTopics, fromBeginning: true });
      await joined.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        eachBatch: (payload) => eachBatch(payload, joined),
      });
    } catch (error) {
      await recover(error, member);
    }
  }

  function scheduleStart(): void {
    const run = startConsumer();
    starting = run;
    void run.finally(() => {
      if (starting === run) starting = undefined;
    });
  }

  /** After a crash: everything held is given up (the group moves it on), then join again. */
  async function recover(error: unknown, failed: Consumer | undefined): Promise<void> {
    if (failed !== consumer) return;
    consumer = undefined;
    held = new Set();
    next.clear();
    initialized.clear();
    options.onAssigned([]);
    await failed?.disconnect().catch(() => undefined);
    if (stopping) return;
    const cause = toLogError(error, `consume group ${options.group}`);
    const type = protocolErrorType(error) ?? '';
    if (type.endsWith('AUTHORIZATION_FAILED') || cause.code === LogErrorCode.UnknownTopic) {
      void stop(cause);
      return;
    }
    const wait = Math.min(tuning.restartDelayMs * 2 ** restarts, maxRestartDelayMs);
    restarts += 1;
    logger?.warn(
      { group: options.group, err: cause, delayMs: wait },
      'kafka group reader restarts',
    );
    restartTimer = setTimeout(scheduleStart, wait);
  }

  function stop(error?: unknown): Promise<void> {
    stopping ??= (async () => {
      signalStop();
      clearTimeout(restartTimer);
      await starting;
      const last = consumer;
      consumer = undefined;
      held = new Set();
      await last?.disconnect().catch(() => undefined);
      onStopped();
      lifecycle.end(`group reader of ${options.group} closed`, error);
    })();
    return stopping;
  }

  scheduleStart();
  return {
    ready: lifecycle.ready,
    done: lifecycle.done,
    close: () => stop(),
    async commit(topic, partition, offset) {
      const member = consumer;
      if (!member) return false;
      return commitAsMember(member, topic, partition, offset);
    },
  };
}

function key(topic: string, partition: number): string {
  return `${partition}@${topic}`;
}
