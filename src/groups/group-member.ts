import type { Positions } from '../events/cursor.js';
import type { SubscriptionItem } from '../fanout/subscriber.js';

/** What a member's group needs from it, and what it tells the group. */
export interface MemberHost<E> {
  /** The member went away (its subscription ended): what it held goes to another member. */
  left(member: GroupMember<E>): void;
}

let lastMemberId = 0;

/**
 * One `consume` subscription: a queue the group fills with at most `maxUnacked` events that it
 * has not acknowledged yet, read by the subscription as an async iterator.
 */
export class GroupMember<E> implements AsyncIterableIterator<SubscriptionItem<E>> {
  readonly id = ++lastMemberId;
  /** Events handed to this member and not acknowledged yet. */
  unacked = 0;
  ended = false;
  private readonly queue: SubscriptionItem<E>[] = [];
  private waiting: ((result: IteratorResult<SubscriptionItem<E>>) => void) | undefined;
  private host: MemberHost<E> | undefined;

  constructor(
    readonly maxUnacked: number,
    /** The member's filter (its token's scope ANDed in); events it rejects count as processed. */
    readonly accepts: (event: E) => boolean,
  ) {}

  attach(host: MemberHost<E>): void {
    this.host = host;
  }

  get hasRoom(): boolean {
    return !this.ended && this.unacked < this.maxUnacked;
  }

  deliver(event: E, positions: Positions): void {
    this.unacked++;
    this.push({ event, positions });
  }

  /** Ends the subscription, with an error for the client when given. */
  end(error?: unknown): void {
    if (this.ended) return;
    if (error !== undefined) this.push({ error, positions: new Map() });
    this.finish();
  }

  private push(item: SubscriptionItem<E>): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: item, done: false });
    } else {
      this.queue.push(item);
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.host?.left(this);
    if (this.queue.length === 0) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<SubscriptionItem<E>>> {
    const item = this.queue.shift();
    if (item) {
      // An error ends the subscription once the client has it.
      if ('error' in item) this.queue.length = 0;
      return Promise.resolve({ value: item, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<SubscriptionItem<E>>> {
    this.queue.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<SubscriptionItem<E>>> {
    return this.return();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<SubscriptionItem<E>> {
    return this;
  }
}
