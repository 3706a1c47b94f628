import type { LogRecord } from '../log/event-log.js';
import type { PartitionPositions, Positions } from './positions.js';

/** One event as a subscription yields it. */
export interface Delivery<E> {
  readonly event: E;
  /** The subscription's positions right after this event: what its cursor encodes. */
  readonly positions: Positions;
}

/** What a subscription yields: an event, or the error that ends it. */
export type SubscriptionItem<E> =
  Delivery<E> | { readonly error: unknown; readonly positions: Positions };

export type Decode<E> = (stream: string, record: LogRecord) => E;

/**
 * What a consumer makes of each item it takes from a subscription: the GraphQL layer turns it
 * into its execution result (for a SharedDelivery, one result object a group's members share).
 * The subscription hands the mapped result straight to the consumer waiting for it, so a layer
 * on top costs no promise and no turn of the microtask queue per event and subscriber. An
 * object, not a closure: it lives as long as the subscription.
 */
export interface ItemMapper<E, R> {
  /** The consumer's result for one item: an event, or the error that ends the subscription. */
  mapItem(item: SubscriptionItem<E>): IteratorResult<R> | PromiseLike<IteratorResult<R>>;
  /** The consumer's result once the subscription has ended and handed out what it held. */
  mapEnd(): IteratorResult<R>;
}

/** A subscription whose items can be taken mapped (see ItemMapper). */
export interface MappableSubscription<E> extends AsyncIterableIterator<SubscriptionItem<E>> {
  /** The next item as `mapper` maps it; `next()` is this with the item as it is. */
  nextMapped<R>(mapper: ItemMapper<E, R>): Promise<IteratorResult<R>>;
}

/** True when `iterator` is a subscription whose items can be taken mapped. */
export function isMappable<E>(
  iterator: AsyncIterator<unknown>,
): iterator is MappableSubscription<E> {
  return typeof (iterator as Partial<MappableSubscription<E>>).nextMapped === 'function';
}

/**
 * One record read from the log, decoded the first time someone needs its event and then shared
 * by every subscription that takes it (the tail's live subscribers, resumes served from the hot
 * window, catch-ups sharing a fetch). After decoding it lets go of the record.
 */
export class LogEntry<E> {
  readonly partition: number;
  readonly offset: number;
  /** Approximate bytes the entry holds in memory. */
  readonly size: number;
  private record: LogRecord | undefined;
  private decoded: E | undefined;

  constructor(
    readonly stream: string,
    record: LogRecord,
    private readonly decode: Decode<E>,
  ) {
    this.partition = record.partition;
    this.offset = record.offset;
    this.size = recordSize(record);
    this.record = record;
  }

  /** The decoded event; throws what the decoder throws (then again on the next call). */
  get event(): E {
    if (this.record !== undefined) {
      this.decoded = this.decode(this.stream, this.record);
      this.record = undefined;
    }
    return this.decoded as E;
  }
}

/**
 * One delivery taken by many subscriptions as the same object: a tail's record for all the
 * subscriptions that read its stream alone and are in step with the tail. Work that would come
 * out the same for several of them (the GraphQL layer: executing one operation on the event, and
 * its JSON) is done once, by the first that needs it, and held as long as the delivery is: until
 * the last of them has taken it from its queue.
 */
export class SharedDelivery<E> implements Delivery<E> {
  private work: Map<unknown, unknown> | undefined;

  constructor(
    readonly event: E,
    readonly positions: Positions,
  ) {}

  /** What the first taker to do the work of `key` kept for it (see `share`), if any did. */
  shared(key: unknown): unknown {
    return this.work?.get(key);
  }

  /** Keeps `value` as the work of `key`: the takers after this one use it, not their own. */
  share(key: unknown, value: unknown): void {
    (this.work ??= new Map()).set(key, value);
  }
}

/** One record as a tail reader hands it to every live subscriber of its stream. */
export class TailDelivery<E> extends LogEntry<E> {
  private soleStream: SharedDelivery<E> | undefined;

  constructor(
    stream: string,
    record: LogRecord,
    decode: Decode<E>,
    /** The tail's positions right after this record; shared, never mutated. */
    readonly positions: PartitionPositions,
  ) {
    super(stream, record, decode);
  }

  /**
   * The delivery for a subscription that reads this stream alone and is in step with the tail:
   * one object for all such subscriptions, so per event they share the positions (and the
   * GraphQL layer executes its operation and encodes the result once per group) instead of
   * each allocating its own. Only while the tail hands the record to its listeners.
   */
  forSoleStream(): SharedDelivery<E> {
    this.soleStream ??= new SharedDelivery(this.event, new Map([[this.stream, this.positions]]));
    return this.soleStream;
  }

  /**
   * Every listener has had the record: the shared delivery is now held by the queues that took
   * it alone, not by the hot window that keeps this record for resumes.
   */
  delivered(): void {
    this.soleStream = undefined;
  }
}

/** What a queued event costs: its bytes plus a fixed overhead for the decoded object. */
export function recordSize(record: LogRecord): number {
  return (record.value?.length ?? 0) + (record.key?.length ?? 0) + 256;
}
