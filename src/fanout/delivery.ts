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

/** One record as a tail reader hands it to every live subscriber of its stream: decoded once. */
export class TailDelivery<E> {
  private soleStream: Delivery<E> | undefined;

  constructor(
    readonly stream: string,
    readonly partition: number,
    readonly offset: number,
    readonly event: E,
    /** Approximate bytes the event holds while queued. */
    readonly size: number,
    /** The tail's positions right after this record; shared, never mutated. */
    readonly positions: PartitionPositions,
  ) {}

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
