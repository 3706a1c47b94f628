import type { EventLog, LogReader, LogRecord, RecordBatch } from '../log/event-log.js';
import type { PartitionPositions, Positions } from './positions.js';
import { Subscriber, type SubscriptionItem } from './subscriber.js';
import { TailReader } from './tail-reader.js';

export interface FanoutOptions<E> {
  readonly log: EventLog;
  /** Turns a record into the event subscribers see; called once per record by a tail reader. */
  readonly decode: (stream: string, record: LogRecord) => E;
  /** Bytes a subscriber may hold queued before it leaves the live fan-out. @default 1048576 */
  readonly maxQueueBytes?: number;
  /** Catch-up readers open at once on this instance; past it a subscription that falls behind ends. @default 512 */
  readonly maxCatchUpReaders?: number;
  /** How long a tail reader with no subscribers stays open, to spare a re-join. @default 30000 */
  readonly tailLingerMs?: number;
  /**
   * The error a subscription ends with when no catch-up reader can be had; `positions` is where
   * it stopped (what its last cursor says).
   * @default a plain Error saying to resume with the cursor
   */
  readonly catchUpUnavailable?: (positions: Positions) => unknown;
  /** Told when a tail reader fails (its subscriptions end with the error). @default nothing */
  readonly onError?: (error: unknown, context: { stream: string }) => void;
}

const defaults = {
  maxQueueBytes: 1 << 20,
  maxCatchUpReaders: 512,
  tailLingerMs: 30_000,
  catchUpUnavailable: () => new Error('no catch-up reader available; resume with the cursor'),
} as const;

export interface SubscribeOptions<E> {
  /**
   * Each stream with the position to start from on each of its partitions. Kept, not copied
   * (it costs an idle subscriber nothing): neither the fan-out nor the caller may change it.
   */
  readonly start: Positions;
  readonly filter: (event: E) => boolean;
}

export interface FanoutStats {
  readonly tailReaders: number;
  readonly catchUpReaders: number;
  readonly subscribers: number;
  /** Bytes of events queued for consumers, over all subscribers. */
  readonly queuedBytes: number;
  /** Per stream, the tail reader's next offset per partition. */
  readonly tailPositions: ReadonlyMap<string, PartitionPositions>;
}

/**
 * A subscription as the fan-out hands it out: pull its items; end it from outside. (The object
 * is a `Subscriber`, whose `queuedBytes` and `catchingUp` tell how it is doing.)
 */
export interface FanoutSubscription<E> extends AsyncIterableIterator<SubscriptionItem<E>> {
  /** Ends the subscription; with `error`, the consumer receives it after what is queued. */
  end(error?: unknown): void;
  /** Ends the subscription and drops what is queued (the consumer is gone). */
  return(): Promise<IteratorResult<SubscriptionItem<E>>>;
  throw(error?: unknown): Promise<IteratorResult<SubscriptionItem<E>>>;
}

export interface Fanout<E> {
  /**
   * Starts a subscription at the given positions; it joins each stream's tail when it gets
   * there. After close(), the subscription ends at once (with close's error, if one was given).
   */
  subscribe(options: SubscribeOptions<E>): FanoutSubscription<E>;
  /** The positions the live tail of a stream has reached (starting it if needed). */
  tailPositions(stream: string): Promise<PartitionPositions>;
  stats(): FanoutStats;
  /** Ends every subscription (each receives `error` if given) and closes every reader. */
  close(error?: unknown): Promise<void>;
}

interface TailEntry<E> {
  readonly tail: TailReader<E>;
  /** Subscribers using the tail, plus pending tailPositions() calls. */
  users: number;
  lingerTimer: NodeJS.Timeout | undefined;
}

/**
 * One tail reader per stream on this instance, shared by every live subscriber of the stream,
 * and a pool of catch-up readers for subscribers that start in the past or fall behind.
 */
export function createFanout<E>(options: FanoutOptions<E>): Fanout<E> {
  const { log, decode } = options;
  const maxQueueBytes = options.maxQueueBytes ?? defaults.maxQueueBytes;
  const maxCatchUpReaders = options.maxCatchUpReaders ?? defaults.maxCatchUpReaders;
  const tailLingerMs = options.tailLingerMs ?? defaults.tailLingerMs;
  const tails = new Map<string, TailEntry<E>>();
  const subscribers = new Set<Subscriber<E>>();
  /** Catch-up readers counted against the cap: open, and not being closed. */
  const catchUpReaders = new Set<LogReader>();
  /** Catch-up readers being closed; close() waits for them. */
  const closingReaders = new Set<Promise<void>>();
  let closed: { error: unknown } | undefined;

  function acquireTail(stream: string): TailReader<E> {
    let entry = tails.get(stream);
    if (!entry) {
      const tail: TailReader<E> = new TailReader<E>({
        log,
        stream,
        decode,
        onError(error) {
          options.onError?.(error, { stream });
          // Subscribers end with the error and resume from their cursors; the next one starts
          // a fresh tail. Only this tail's users: a newer tail of the stream may exist already.
          const failed = tails.get(stream);
          if (failed?.tail === tail) {
            clearTimeout(failed.lingerTimer);
            tails.delete(stream);
          }
          for (const subscriber of subscribers) {
            if (subscriber.tails.includes(tail)) subscriber.end(error);
          }
        },
      });
      entry = { tail, users: 0, lingerTimer: undefined };
      tails.set(stream, entry);
    }
    clearTimeout(entry.lingerTimer);
    entry.lingerTimer = undefined;
    entry.users++;
    return entry.tail;
  }

  function releaseTail(tail: TailReader<E>): void {
    const entry = tails.get(tail.stream);
    // A tail that failed has left the pool already.
    if (!entry || entry.tail !== tail) return;
    entry.users--;
    if (entry.users > 0) return;
    entry.lingerTimer = setTimeout(() => {
      if (entry.users > 0 || tails.get(tail.stream) !== entry) return;
      tails.delete(tail.stream);
      void entry.tail.close();
    }, tailLingerMs);
    entry.lingerTimer.unref();
  }

  function openCatchUpReader(
    stream: string,
    start: PartitionPositions,
    onBatch: (batch: RecordBatch) => Promise<void> | void,
  ): LogReader | undefined {
    if (catchUpReaders.size >= maxCatchUpReaders) return undefined;
    const reader = log.read({ topic: stream, start, otherwise: 'earliest', onBatch });
    catchUpReaders.add(reader);
    const uncount = () => catchUpReaders.delete(reader);
    reader.done.then(uncount, uncount);
    return {
      ready: reader.ready,
      done: reader.done,
      async close() {
        // The slot is free at once: a subscriber falling behind need not wait for this close.
        uncount();
        const closing = reader.close();
        closingReaders.add(closing);
        const forget = () => closingReaders.delete(closing);
        closing.then(forget, forget);
        await closing;
      },
    };
  }

  const host = {
    decode,
    maxQueueBytes,
    openCatchUpReader,
    offsets: (stream: string) => log.offsets(stream),
    catchUpUnavailable: options.catchUpUnavailable ?? defaults.catchUpUnavailable,
    release(subscriber: Subscriber<E>) {
      if (!subscribers.delete(subscriber)) return;
      for (const tail of subscriber.tails) releaseTail(tail);
    },
  };

  return {
    subscribe({ start, filter }) {
      const subscriber = new Subscriber<E>(host, filter);
      if (closed) {
        subscriber.end(closed.error);
        return subscriber;
      }
      subscribers.add(subscriber);
      for (const [stream, positions] of start) subscriber.addStream(acquireTail(stream), positions);
      return subscriber;
    },
    async tailPositions(stream) {
      if (closed) throw closed.error ?? new Error('the fan-out is closed');
      const tail = acquireTail(stream);
      try {
        await tail.ready;
        return tail.positions;
      } finally {
        releaseTail(tail);
      }
    },
    stats() {
      return {
        tailReaders: tails.size,
        catchUpReaders: catchUpReaders.size,
        subscribers: subscribers.size,
        queuedBytes: [...subscribers].reduce((sum, s) => sum + s.queuedBytes, 0),
        tailPositions: new Map([...tails].map(([stream, entry]) => [stream, entry.tail.positions])),
      };
    },
    async close(error) {
      closed ??= { error };
      for (const subscriber of [...subscribers]) subscriber.end(error);
      const closing = [...tails.values()].map((entry) => {
        clearTimeout(entry.lingerTimer);
        return entry.tail.close();
      });
      tails.clear();
      // Subscribers closed their catch-up readers without waiting; close() promises they stopped.
      closing.push(...[...catchUpReaders].map((reader) => reader.close()), ...closingReaders);
      await Promise.all(closing);
    },
  };
}
