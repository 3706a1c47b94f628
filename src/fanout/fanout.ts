import type { EventLog, PartitionOffsets } from '../log/event-log.js';
import { CatchUpReads, type CatchUpStats } from './catch-up.js';
import type { Decode, MappableSubscription } from './delivery.js';
import { WindowBudget } from './hot-window.js';
import type { PartitionPositions, Positions } from './positions.js';
import { Subscriber, type SubscriptionEndListener, type SubscriptionItem } from './subscriber.js';
import { TailReader } from './tail-reader.js';
import { Watermarks } from './watermarks.js';

export interface FanoutOptions<E> {
  readonly log: EventLog;
  /** Turns a record into the event subscribers see; called at most once per record read. */
  readonly decode: Decode<E>;
  /** Bytes a subscriber may hold queued before it leaves the live fan-out. @default 1048576 */
  readonly maxQueueBytes?: number;
  /**
   * Bytes the hot windows of all tails may hold together: the recent past that resumes read
   * from memory. @default 67108864 (64 MiB)
   */
  readonly hotWindowBytes?: number;
  /** Catch-up fetches from the log under way at once; the others wait their turn. @default 8 */
  readonly catchUpConcurrency?: number;
  /** Bytes of recently fetched catch-up chunks kept for catch-ups nearby. @default 16777216 */
  readonly catchUpCacheBytes?: number;
  /** About how many bytes one catch-up fetch reads. @default 262144 */
  readonly catchUpChunkBytes?: number;
  /** How long a tail reader with no subscribers stays open, to spare a re-join. @default 30000 */
  readonly tailLingerMs?: number;
  /** How long low/high watermarks read for start positions are reused. @default 1000 */
  readonly watermarksMaxAgeMs?: number;
  /** Told when a tail reader fails (its subscriptions end with the error). @default nothing */
  readonly onError?: (error: unknown, context: { stream: string }) => void;
}

const defaults = {
  maxQueueBytes: 1 << 20,
  hotWindowBytes: 64 << 20,
  catchUpConcurrency: 8,
  catchUpCacheBytes: 16 << 20,
  catchUpChunkBytes: 256 << 10,
  tailLingerMs: 30_000,
  watermarksMaxAgeMs: 1000,
} as const;

export interface SubscribeOptions<E> {
  /**
   * Each stream with the position to start from on each of its partitions. Kept, not copied
   * (it costs an idle subscriber nothing): neither the fan-out nor the caller may change it.
   */
  readonly start: Positions;
  readonly filter: (event: E) => boolean;
  /**
   * Who the subscription belongs to (a token id): catch-up reads take turns by owner, so one
   * owner's many subscriptions cannot keep the others' waiting. @default ''
   */
  readonly owner?: string;
  /**
   * Told once when the subscription ends, however it ends (its consumer may still be taking
   * what is queued). @default nobody
   */
  readonly onEnd?: SubscriptionEndListener;
}

export interface FanoutStats {
  readonly tailReaders: number;
  readonly subscribers: number;
  /** Subscribers behind the tail of some stream, reading on by themselves. */
  readonly catchingUp: number;
  /** Catch-up fetches running and waiting, and the bytes of chunks kept for sharing. */
  readonly catchUp: CatchUpStats;
  /** Bytes held by the hot windows of all tails. */
  readonly hotWindowBytes: number;
  /** Bytes of events queued for consumers, over all subscribers. */
  readonly queuedBytes: number;
  /** Per stream, the tail reader's next offset per partition. */
  readonly tailPositions: ReadonlyMap<string, PartitionPositions>;
}

/**
 * A subscription as the fan-out hands it out: pull its items; end it from outside. (The object
 * is a `Subscriber`, whose `queuedBytes` and `catchingUp` tell how it is doing.)
 */
export interface FanoutSubscription<E> extends MappableSubscription<E> {
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
  /**
   * Low and high watermarks of a stream's partitions, read at most `watermarksMaxAgeMs` ago:
   * concurrent callers (a reconnect storm) share one look-up.
   */
  watermarks(stream: string): Promise<PartitionOffsets[]>;
  /**
   * True when the live tail of `stream` holds every record from `positions` on in memory (its
   * hot window, on exactly the partitions it reads): a resume from there reads nothing from the
   * log, not even its watermarks. Such records are served even if the log dropped them since.
   */
  heldInMemory(stream: string, positions: PartitionPositions): boolean;
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
 * One tail reader per stream on this instance, shared by every live subscriber of the stream
 * and keeping a bounded hot window of its recent past; shared, queued catch-up reads for
 * subscribers that start before the window or fall behind it.
 */
export function createFanout<E>(options: FanoutOptions<E>): Fanout<E> {
  const { log, decode } = options;
  const maxQueueBytes = options.maxQueueBytes ?? defaults.maxQueueBytes;
  const tailLingerMs = options.tailLingerMs ?? defaults.tailLingerMs;
  const windowBudget = new WindowBudget(options.hotWindowBytes ?? defaults.hotWindowBytes);
  const catchUp = new CatchUpReads<E>({
    log,
    decode,
    concurrency: options.catchUpConcurrency ?? defaults.catchUpConcurrency,
    cacheBytes: options.catchUpCacheBytes ?? defaults.catchUpCacheBytes,
    chunkBytes: options.catchUpChunkBytes ?? defaults.catchUpChunkBytes,
  });
  const watermarks = new Watermarks(
    (stream) => log.offsets(stream),
    options.watermarksMaxAgeMs ?? defaults.watermarksMaxAgeMs,
  );
  const tails = new Map<string, TailEntry<E>>();
  const subscribers = new Set<Subscriber<E>>();
  let closed: { error: unknown } | undefined;

  function acquireTail(stream: string): TailReader<E> {
    let entry = tails.get(stream);
    if (!entry) {
      const tail: TailReader<E> = new TailReader<E>({
        log,
        stream,
        decode,
        windowBudget,
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

  const host = {
    maxQueueBytes,
    catchUp,
    release(subscriber: Subscriber<E>) {
      if (!subscribers.delete(subscriber)) return;
      for (const tail of subscriber.tails) releaseTail(tail);
    },
  };

  return {
    subscribe({ start, filter, owner, onEnd }) {
      const subscriber = new Subscriber<E>(host, filter, owner ?? '', onEnd);
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
    watermarks: (stream) => watermarks.get(stream),
    heldInMemory(stream, positions) {
      const tail = tails.get(stream)?.tail;
      if (!tail || tail.positions.size === 0 || tail.positions.size !== positions.size)
        return false;
      for (const [partition, offset] of positions) {
        const start = tail.window(partition)?.start;
        const end = tail.positions.get(partition);
        if (start === undefined || end === undefined || offset < start || offset > end)
          return false;
      }
      return true;
    },
    stats() {
      let catchingUp = 0;
      for (const subscriber of subscribers) if (subscriber.catchingUp) catchingUp++;
      return {
        tailReaders: tails.size,
        subscribers: subscribers.size,
        catchingUp,
        catchUp: catchUp.stats(),
        hotWindowBytes: windowBudget.bytes,
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
      catchUp.close(error);
      await Promise.all(closing);
    },
  };
}
