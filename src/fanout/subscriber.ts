import type { LogReader, LogRecord, PartitionOffsets, RecordBatch } from '../log/event-log.js';
import type { Delivery, SubscriptionItem } from './delivery.js';
import {
  atOrPast,
  flatPositions,
  PositionsAfterRecord,
  type PartitionPositions,
  type Positions,
} from './positions.js';
import {
  readerStopped,
  recordSize,
  type TailDelivery,
  type TailListener,
  type TailReader,
} from './tail-reader.js';
import { ItemQueue } from './item-queue.js';

export type { Delivery, SubscriptionItem } from './delivery.js';

export interface SubscriberHost<E> {
  readonly decode: (stream: string, record: LogRecord) => E;
  readonly maxQueueBytes: number;
  readonly openCatchUpReader: (
    stream: string,
    start: PartitionPositions,
    onBatch: (batch: RecordBatch) => Promise<void> | void,
  ) => LogReader | undefined;
  readonly offsets: (stream: string) => Promise<PartitionOffsets[]>;
  readonly catchUpUnavailable: (positions: Positions) => unknown;
  readonly release: (subscriber: Subscriber<E>) => void;
}

type Mode = 'catching-up' | 'live';
type Resolver<E> = (result: IteratorResult<SubscriptionItem<E>>) => void;

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
  catchUp: LogReader | undefined;

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
 * pulls from it. Live, it is fed by the shared tail reader of each stream; behind, by a catch-up
 * reader of its own that waits for the consumer (so memory stays bounded), until it reaches the
 * tail again and rejoins.
 *
 * Every item carries the positions right after it: resuming there yields exactly the events
 * that followed it. Items are queued in delivery order, and each snapshot counts everything
 * queued before it, so this holds whichever reader (tail or catch-up) delivered what.
 */
export class Subscriber<E> implements AsyncIterableIterator<SubscriptionItem<E>> {
  private readonly states: StreamState<E>[] = [];
  private readonly queue = new ItemQueue<SubscriptionItem<E>>();
  /** Pending next() calls, oldest first (there is rarely more than one). */
  private consumers: Resolver<E>[] | undefined;
  /** Catch-up readers waiting for the consumer to make room. */
  private roomWaiters: (() => void)[] = [];
  private ended = false;

  constructor(
    private readonly host: SubscriberHost<E>,
    private readonly filter: (event: E) => boolean,
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

  /** True while some stream of the subscription is read by a catch-up reader of its own. */
  get catchingUp(): boolean {
    return this.states.some((s) => s.mode === 'catching-up');
  }

  /** Live path: called synchronously by the tail for every record of the stream. */
  fromTail(state: StreamState<E>, delivery: TailDelivery<E>): void {
    if (this.ended || state.mode !== 'live') return;
    if (!state.synced && delivery.offset < (state.own.get(delivery.partition) ?? 0)) {
      return; // already delivered by the catch-up reader
    }
    const wanted = this.test(delivery.event, state, delivery.partition, delivery.offset);
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
    this.startCatchUp(state);
  }

  private tryJoin(state: StreamState<E>): void {
    if (this.ended || state.mode === 'live') return;
    if (!atOrPast(state.own, state.tail.positions)) {
      if (!state.catchUp) this.startCatchUp(state);
      return;
    }
    // Nothing runs between this check and joining the tail's listeners (both synchronous), so
    // the tail cannot deliver a record in between: no gap. Records the catch-up reader already
    // delivered are below `own` and skipped in fromTail: no repeat.
    const reader = state.catchUp;
    state.catchUp = undefined;
    void reader?.close();
    state.mode = 'live';
    state.synced = atOrPast(state.tail.positions, state.own);
    state.tail.listeners.add(state);
  }

  private startCatchUp(state: StreamState<E>): void {
    let reader: LogReader | undefined = undefined;
    reader = this.host.openCatchUpReader(state.stream, state.own, (batch) =>
      this.fromCatchUp(state, reader, batch),
    );
    if (!reader) {
      this.end(this.host.catchUpUnavailable(this.snapshot()));
      return;
    }
    const started = reader;
    state.catchUp = started;
    // Still current when it stops means nobody here closed it: it failed, or the log closed.
    started.done.then(
      () => {
        if (state.catchUp === started) this.end(readerStopped(state.stream));
      },
      (error: unknown) => {
        if (state.catchUp === started) this.end(error);
      },
    );
    void started.ready.then(
      () => this.skipExpired(state, started),
      () => undefined, // `done` rejects as well and ends the subscription
    );
  }

  /**
   * A reader starts a partition below its low watermark at the low watermark, and it gets no
   * batch at all while nothing is retained past its start: without this, a subscription whose
   * own positions point at records already gone would sit on a catch-up reader until the next
   * append instead of joining the tail.
   */
  private async skipExpired(state: StreamState<E>, reader: LogReader): Promise<void> {
    const offsets = await this.host.offsets(state.stream).catch(() => undefined);
    if (!offsets || this.ended || state.catchUp !== reader) return;
    let own: Map<number, number> | undefined;
    for (const { partition, low } of offsets) {
      if ((state.own.get(partition) ?? 0) < low) (own ??= new Map(state.own)).set(partition, low);
    }
    if (own) state.own = own;
    this.tryJoin(state);
  }

  private async fromCatchUp(
    state: StreamState<E>,
    reader: LogReader | undefined,
    batch: RecordBatch,
  ): Promise<void> {
    const partition = batch.partition;
    const current = () => !this.ended && state.catchUp === reader;
    if (!current()) return;
    // Per record only the batch's partition moves: one base map per batch.
    let base = flatPositions(state.own);
    for (const record of batch.records) {
      if (record.offset < (state.own.get(partition) ?? 0)) continue;
      const event = this.host.decode(state.stream, record);
      const wanted = this.test(event, state, partition, record.offset);
      if (wanted === undefined) return;
      if (wanted) {
        const size = recordSize(record);
        if (!this.hasRoomFor(size)) {
          // The consumer is behind: hold this reader (it fetches nothing meanwhile), so the
          // queue never grows past its bound.
          await this.roomFreed(size);
          if (!current()) return;
          // skipExpired may have moved `own` meanwhile.
          if (record.offset < (state.own.get(partition) ?? 0)) continue;
          base = flatPositions(state.own);
        }
        state.own = new PositionsAfterRecord(base, partition, record.offset + 1);
        this.push({ event, positions: this.snapshot() }, size);
      } else {
        state.own = new PositionsAfterRecord(base, partition, record.offset + 1);
      }
    }
    // Rejoining with a nearly full queue would only fall behind again at once.
    if (this.queue.bytes > this.host.maxQueueBytes / 2) await this.roomFreed(0);
    if (current()) this.tryJoin(state);
  }

  /**
   * The filter's answer, or undefined after ending the subscription because it threw; then its
   * last positions point at the record that failed, which it never delivered.
   */
  private test(
    event: E,
    state: StreamState<E>,
    partition: number,
    offset: number,
  ): boolean | undefined {
    try {
      return this.filter(event);
    } catch (error) {
      state.own = new Map(state.current()).set(partition, offset);
      state.synced = false;
      this.end(error);
      return undefined;
    }
  }

  private hasRoomFor(size: number): boolean {
    // A waiting consumer takes the item at once; an event larger than the bound goes alone.
    if (this.consumers !== undefined || this.queue.bytes === 0) return true;
    return this.queue.bytes + size <= this.host.maxQueueBytes;
  }

  /** Resolves once the queue is down to half its bound and has room for `size`, or on end. */
  private async roomFreed(size: number): Promise<void> {
    while (
      !this.ended &&
      (this.queue.bytes > this.host.maxQueueBytes / 2 || !this.hasRoomFor(size))
    ) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  private snapshot(): Positions {
    const positions = new Map<string, PartitionPositions>();
    for (const state of this.states) positions.set(state.stream, state.current());
    return positions;
  }

  private push(item: SubscriptionItem<E>, size: number): void {
    const consumer = this.consumers?.shift();
    if (this.consumers?.length === 0) this.consumers = undefined;
    if (consumer) {
      consumer({ value: item, done: false });
      return;
    }
    this.queue.push(item, size);
  }

  /** Ends the subscription: with `error`, the consumer receives it as the last item. */
  end(error?: unknown): void {
    if (this.ended) return;
    if (error !== undefined) this.push({ error, positions: this.snapshot() }, 0);
    this.ended = true;
    this.detach();
    if (this.queuedEvents === 0) {
      const consumers = this.consumers ?? [];
      this.consumers = undefined;
      for (const consumer of consumers) consumer({ value: undefined, done: true });
    }
  }

  private detach(): void {
    for (const state of this.states) {
      state.tail.listeners.delete(state);
      const reader = state.catchUp;
      state.catchUp = undefined;
      void reader?.close();
    }
    this.wakeRoomWaiters();
    this.host.release(this);
  }

  private wakeRoomWaiters(): void {
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  next(): Promise<IteratorResult<SubscriptionItem<E>>> {
    const item = this.queue.shift();
    if (item !== undefined) {
      if (this.roomWaiters.length > 0 && this.queue.bytes <= this.host.maxQueueBytes / 2) {
        this.wakeRoomWaiters();
      }
      return Promise.resolve({ value: item, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      if (this.consumers) this.consumers.push(resolve);
      else this.consumers = [resolve];
    });
  }

  return(): Promise<IteratorResult<SubscriptionItem<E>>> {
    this.queue.clear();
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<SubscriptionItem<E>>> {
    this.end(error);
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
