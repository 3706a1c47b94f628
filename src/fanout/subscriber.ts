import type { CatchUpReads } from './catch-up.js';
import type {
  Delivery,
  ItemMapper,
  LogEntry,
  MappableSubscription,
  SubscriptionItem,
} from './delivery.js';
import {
  atOrPast,
  flatPositions,
  PositionsAfterRecord,
  type PartitionPositions,
  type Positions,
} from './positions.js';
import type { PartitionWindow } from './hot-window.js';
import type { TailDelivery, TailListener, TailReader } from './tail-reader.js';
import { ItemQueue } from './item-queue.js';

export type { Delivery, SubscriptionItem } from './delivery.js';

export interface SubscriberHost<E> {
  readonly maxQueueBytes: number;
  readonly catchUp: CatchUpReads<E>;
  readonly release: (subscriber: Subscriber<E>) => void;
}

type Mode = 'catching-up' | 'live';
type Settle = (result: IteratorResult<unknown> | PromiseLike<IteratorResult<unknown>>) => void;

/** A consumer's pending take beyond the first (see `Subscriber.waiting`). */
interface Waiting<E> {
  readonly settle: Settle;
  readonly mapper: ItemMapper<E, unknown>;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** `next()`: the item as it is. */
const AS_IS: ItemMapper<unknown, SubscriptionItem<unknown>> = {
  mapItem: (item) => ({ value: item, done: false }),
  mapEnd: () => DONE,
};

/** The subscriber's state on one of its streams. */
class StreamState<E> implements TailListener<E> {
  mode: Mode = 'catching-up';
  /**
   * Next offset per partition that this subscription owes its consumer. Replaced, never
   * mutated, so a delivery may carry it as its snapshot. While `synced`, the tail's positions
   * are the subscriber's and this is stale.
   */
  own: PartitionPositions;
  synced = false;
  /** True while a catch-up loop runs for this stream (there is never more than one). */
  catchingUp = false;

  constructor(
    readonly subscriber: Subscriber<E>,
    readonly tail: TailReader<E>,
    start: PartitionPositions,
  ) {
    // Not copied: it is never mutated (see `own`), and an idle subscriber should cost little.
    this.own = start;
  }

  get stream(): string {
    return this.tail.stream;
  }

  current(): PartitionPositions {
    return this.synced ? this.tail.positions : this.own;
  }

  onRecord(delivery: TailDelivery<E>): void {
    this.subscriber.fromTail(this, delivery);
  }
}

/**
 * One subscription: a bounded queue between the readers that feed it and the consumer that
 * pulls from it. Live, it is fed by the shared tail reader of each stream. Behind (a start in
 * the past, or a consumer too slow for the live pace), it reads on by itself at its consumer's
 * pace: from the tail's hot window when its position is still there, else from the log through
 * the shared, queued catch-up reads, until it reaches the tail again and rejoins. While it
 * waits for its consumer or for its turn, it holds its positions and nothing more.
 *
 * Every item carries the positions right after it: resuming there yields exactly the events
 * that followed it. Items are queued in delivery order, and each snapshot counts everything
 * queued before it, so this holds whichever path (tail, window or catch-up) delivered what.
 */
export class Subscriber<E> implements MappableSubscription<E> {
  private readonly states: StreamState<E>[] = [];
  private readonly queue = new ItemQueue<SubscriptionItem<E>>();
  /**
   * The consumer's pending take, if it waits for an item, and how it maps the item. In fields,
   * not a list: a consumer takes one item at a time, and an idle subscription waits like this.
   */
  private waiting: Settle | undefined;
  private waitingMapper: ItemMapper<E, unknown> | undefined;
  /** Takes asked for while one was pending already, oldest first. */
  private moreWaiting: Waiting<E>[] | undefined;
  /** Catch-up loops waiting for the consumer to make room. */
  private roomWaiters: (() => void)[] | undefined;
  private ended = false;

  constructor(
    private readonly host: SubscriberHost<E>,
    private readonly filter: (event: E) => boolean,
    /** Whose catch-up reads these are, for taking turns (a token id). */
    private readonly owner: string,
    /** Told once when the subscription ends. */
    private onEnd?: SubscriptionEndListener,
  ) {}

  /** Adds a stream starting at `start`; joins its tail at once when it is not behind it. */
  addStream(tail: TailReader<E>, start: PartitionPositions): void {
    const state = new StreamState(this, tail, start);
    this.states.push(state);
    void tail.ready.then(
      () => this.tryJoin(state),
      (error: unknown) => this.end(error),
    );
  }

  get streams(): readonly string[] {
    return this.states.map((s) => s.stream);
  }

  /** The tail readers this subscription uses, one per stream. */
  get tails(): readonly TailReader<E>[] {
    return this.states.map((s) => s.tail);
  }

  /** Bytes of events queued for the consumer: at most `maxQueueBytes` (or one larger event). */
  get queuedBytes(): number {
    return this.queue.bytes;
  }

  /** Events queued for the consumer. */
  get queuedEvents(): number {
    return this.queue.length;
  }

  /** True while some stream of the subscription is behind its tail, reading on by itself. */
  get catchingUp(): boolean {
    return this.states.some((s) => s.mode === 'catching-up');
  }

  /** Live path: called synchronously by the tail for every record of the stream. */
  fromTail(state: StreamState<E>, delivery: TailDelivery<E>): void {
    if (this.ended || state.mode !== 'live') return;
    if (!state.synced && delivery.offset < (state.own.get(delivery.partition) ?? 0)) {
      return; // already delivered while catching up
    }
    const wanted = this.test(delivery, state);
    if (wanted === undefined) return;
    if (wanted && !this.hasRoomFor(delivery.size)) {
      this.fallBehind(state, delivery);
      return;
    }
    if (!state.synced) {
      const own = new Map(state.own).set(delivery.partition, delivery.offset + 1);
      state.own = own;
      if (atOrPast(delivery.positions, own)) state.synced = true;
    }
    if (!wanted) return;
    const item: Delivery<E> =
      state.synced && this.states.length === 1
        ? delivery.forSoleStream()
        : { event: delivery.event, positions: this.snapshot() };
    this.push(item, delivery.size);
  }

  /** Leaves the live fan-out of one stream and reads on from its own position. */
  private fallBehind(state: StreamState<E>, delivery: TailDelivery<E>): void {
    state.own = new Map(state.current()).set(delivery.partition, delivery.offset);
    state.synced = false;
    state.mode = 'catching-up';
    state.tail.listeners.delete(state);
    void this.catchUp(state);
  }

  private tryJoin(state: StreamState<E>): void {
    if (this.ended || state.mode === 'live') return;
    if (!atOrPast(state.own, state.tail.positions)) {
      void this.catchUp(state);
      return;
    }
    // Nothing runs between this check and joining the tail's listeners (both synchronous), so
    // the tail cannot deliver a record in between: no gap. Records delivered while catching up
    // are below `own` and skipped in fromTail: no repeat.
    state.mode = 'live';
    state.synced = atOrPast(state.tail.positions, state.own);
    state.tail.listeners.add(state);
  }

  /**
   * Reads one stream on from `own` until it reaches the tail, then joins it. Each partition
   * behind the tail is read from the hot window when it still reaches back to `own` (no I/O;
   * then the whole pass is synchronous and the join cannot miss a record), else one chunk at a
   * time from the log. It waits, holding nothing, whenever the consumer's queue is full.
   */
  private async catchUp(state: StreamState<E>): Promise<void> {
    if (state.catchingUp) return;
    state.catchingUp = true;
    try {
      while (!this.ended && state.mode === 'catching-up') {
        // Rejoining with a nearly full queue would only fall behind again at once.
        if (this.queue.bytes > this.host.maxQueueBytes / 2) await this.roomFreed(0);
        for (const [partition, end] of state.tail.positions) {
          if (this.ended) return;
          const at = state.own.get(partition) ?? 0;
          if (at >= end) continue;
          const window = state.tail.window(partition);
          const recent = window?.from(at);
          if (recent) {
            // The window holds every record of the partition up to the tail's position `end`.
            const delivered =
              this.states.length === 1
                ? await this.replay(state, window!, recent)
                : await this.deliver(state, partition, recent);
            if (!delivered) return;
            this.moveTo(state, partition, end);
          } else {
            const chunk = await this.host.catchUp.read(state.stream, partition, at, this.owner);
            if (this.ended) return;
            if (!(await this.deliver(state, partition, chunk.entries))) return;
            if (chunk.next <= at && chunk.entries.length === 0) {
              // The log has nothing at `at` although the tail is past it (a leader change
              // under way): ask again in a moment rather than spin.
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
            this.moveTo(state, partition, chunk.next);
          }
        }
        this.tryJoin(state);
      }
    } catch (error) {
      this.end(error);
    } finally {
      state.catchingUp = false;
    }
  }

  /** Moves `own` of one partition forward to `offset` (records before it were delivered or skipped). */
  private moveTo(state: StreamState<E>, partition: number, offset: number): void {
    if ((state.own.get(partition) ?? 0) < offset) {
      state.own = new PositionsAfterRecord(flatPositions(state.own), partition, offset);
    }
  }

  /**
   * Queues the entries at or after `own` that pass the filter, in order, waiting for room as
   * needed. False when the subscription ended meanwhile (or its filter threw).
   */
  private async deliver(
    state: StreamState<E>,
    partition: number,
    entries: readonly LogEntry<E>[],
  ): Promise<boolean> {
    // Per record only this partition moves: one base map, rebuilt after a wait.
    let base = flatPositions(state.own);
    for (const entry of entries) {
      if (entry.offset < (state.own.get(partition) ?? 0)) continue;
      const wanted = this.test(entry, state);
      if (wanted === undefined) return false;
      if (wanted && !this.hasRoomFor(entry.size)) {
        await this.roomFreed(entry.size);
        if (this.ended) return false;
        base = flatPositions(state.own);
      }
      state.own = new PositionsAfterRecord(base, partition, entry.offset + 1);
      if (wanted) this.push({ event: entry.event, positions: this.snapshot() }, entry.size);
    }
    return !this.ended;
  }

  /**
   * `deliver` for a subscription of one stream reading a hot window: the deliveries and their
   * positions are those of every subscription replaying from the same positions (shared-replay.ts),
   * so that a group resuming together is executed and serialized once per event. The same items,
   * in the same order, as `deliver` would queue.
   */
  private async replay(
    state: StreamState<E>,
    window: PartitionWindow<E>,
    entries: readonly TailDelivery<E>[],
  ): Promise<boolean> {
    for (let from = 0; from < entries.length;) {
      const run = window.runs.runFrom(state.own, entries, from);
      for (let index = 0; index < run.length; index++) {
        const entry = run.entry(index);
        const wanted = this.test(entry, state);
        if (wanted === undefined) return false;
        if (wanted && !this.hasRoomFor(entry.size)) {
          await this.roomFreed(entry.size);
          if (this.ended) return false;
        }
        const delivery = run.delivery(index);
        state.own = delivery.positions.get(state.stream)!;
        if (wanted) this.push(delivery, entry.size);
      }
      from += run.length;
    }
    return !this.ended;
  }

  /**
   * The filter's answer, or undefined after ending the subscription because it (or decoding the
   * event) threw; then its last positions point at the record that failed, never delivered.
   */
  private test(entry: LogEntry<E>, state: StreamState<E>): boolean | undefined {
    try {
      return this.filter(entry.event);
    } catch (error) {
      state.own = new Map(state.current()).set(entry.partition, entry.offset);
      state.synced = false;
      this.end(error);
      return undefined;
    }
  }

  private hasRoomFor(size: number): boolean {
    // A waiting consumer takes the item at once; an event larger than the bound goes alone.
    if (this.waiting !== undefined || this.queue.bytes === 0) return true;
    return this.queue.bytes + size <= this.host.maxQueueBytes;
  }

  /** Resolves once the queue is down to half its bound and has room for `size`, or on end. */
  private async roomFreed(size: number): Promise<void> {
    while (
      !this.ended &&
      (this.queue.bytes > this.host.maxQueueBytes / 2 || !this.hasRoomFor(size))
    ) {
      await new Promise<void>((resolve) => (this.roomWaiters ??= []).push(resolve));
    }
  }

  private snapshot(): Positions {
    const positions = new Map<string, PartitionPositions>();
    for (const state of this.states) positions.set(state.stream, state.current());
    return positions;
  }

  private push(item: SubscriptionItem<E>, size: number): void {
    const settle = this.waiting;
    if (settle === undefined) {
      this.queue.push(item, size);
      return;
    }
    const mapper = this.waitingMapper!;
    this.takeNextWaiting();
    settle(mapped(mapper, item));
  }

  /** The oldest of the further pending takes becomes the pending one. */
  private takeNextWaiting(): void {
    const next = this.moreWaiting?.shift();
    if (this.moreWaiting?.length === 0) this.moreWaiting = undefined;
    this.waiting = next?.settle;
    this.waitingMapper = next?.mapper;
  }

  /** Ends the subscription: with `error`, the consumer receives it as the last item. */
  end(error?: unknown): void {
    if (this.ended) return;
    if (error !== undefined) this.push({ error, positions: this.snapshot() }, 0);
    this.ended = true;
    this.detach();
    if (this.queuedEvents === 0) {
      while (this.waiting !== undefined) {
        const settle = this.waiting;
        const mapper = this.waitingMapper!;
        this.takeNextWaiting();
        settle(mapper.mapEnd());
      }
    }
  }

  private detach(): void {
    for (const state of this.states) state.tail.listeners.delete(state);
    this.wakeRoomWaiters();
    this.host.release(this);
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    onEnd?.subscriptionEnded();
  }

  private wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = undefined;
    for (const wake of waiters ?? []) wake();
  }

  next(): Promise<IteratorResult<SubscriptionItem<E>>> {
    return this.nextMapped(AS_IS as ItemMapper<E, SubscriptionItem<E>>);
  }

  nextMapped<R>(mapper: ItemMapper<E, R>): Promise<IteratorResult<R>> {
    const item = this.queue.shift();
    if (item !== undefined) {
      if (this.roomWaiters !== undefined && this.queue.bytes <= this.host.maxQueueBytes / 2) {
        this.wakeRoomWaiters();
      }
      return Promise.resolve(mapped(mapper, item));
    }
    if (this.ended) return Promise.resolve(mapper.mapEnd());
    return new Promise<IteratorResult<unknown>>((settle) => {
      if (this.waiting === undefined) {
        this.waiting = settle;
        this.waitingMapper = mapper;
      } else {
        (this.moreWaiting ??= []).push({ settle, mapper });
      }
    }) as Promise<IteratorResult<R>>;
  }

  return(): Promise<IteratorResult<SubscriptionItem<E>>> {
    this.queue.clear();
    this.end();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<SubscriptionItem<E>>> {
    this.end(error);
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Told once when a subscription ends. An object, not a closure: it lives as long as the subscription. */
export interface SubscriptionEndListener {
  subscriptionEnded(): void;
}

/** The mapper's result for `item`; what it throws, as the rejection the consumer receives. */
function mapped<E, R>(
  mapper: ItemMapper<E, R>,
  item: SubscriptionItem<E>,
): IteratorResult<R> | PromiseLike<IteratorResult<R>> {
  try {
    return mapper.mapItem(item);
  } catch (error) {
    return Promise.reject(error);
  }
}
