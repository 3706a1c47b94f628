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

/** One record as a tail reader hands it to every live subscriber of its stream. */
export class TailDelivery<E> extends LogEntry<E> {
  private soleStream: Delivery<E> | undefined;

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
   * GraphQL layer encodes its cursor once) instead of each allocating its own.
   */
  forSoleStream(): Delivery<E> {
    this.soleStream ??= {
      event: this.event,
      positions: new Map([[this.stream, this.positions]]),
    };
    return this.soleStream;
  }
}

/** What a queued event costs: its bytes plus a fixed overhead for the decoded object. */
export function recordSize(record: LogRecord): number {
  return (record.value?.length ?? 0) + (record.key?.length ?? 0) + 256;
}
