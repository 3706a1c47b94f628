import type { LogReader, LogRecord, RecordBatch } from '../log/event-log.js';
import { atOrPast, type PartitionPositions, type Positions } from './positions.js';
import { recordSize, type TailDelivery, type TailListener, type TailReader } from './tail-reader.js';

/** One event as a subscription yields it. */
export interface Delivery<E> {
  readonly event: E;
  /** The subscription's positions right after this event: what its cursor encodes. */
  readonly positions: Positions;
}

/** What a subscription yields: an event, or the error that ends it. */
export type SubscriptionItem<E> = Delivery<E> | { readonly error: unknown; readonly positions: Positions };

export interface SubscriberHost<E> {
  readonly decode: (stream: string, record: LogRecord) => E;
  readonly maxQueueBytes: number;
  readonly openCatchUpReader: (
    stream: string,
    start: PartitionPositions,
    onBatch: (batch: RecordBatch) => Promise<void> | void,
  ) => LogReader | undefined;
  readonly catchUpUnavailable: (positions: Positions) => unknown;
  readonly release: (subscriber: Subscriber<E>) => void;
}

type Mode = 'catching-up' | 'live';

/** The subscriber's state on one of its streams. */
class StreamState<E> implements TailListener<E> {
  mode: Mode = 'catching-up';
  /** Own positions; while `synced`, the tail's positions are the subscriber's and this is stale. */
  own: Map<number, number>;
  synced = false;
  catchUp: LogReader | undefined;

  constructor(
    readonly subscriber: Subscriber<E>,
    readonly tail: TailReader<E>,
    start: PartitionPositions,
  ) {
    this.own = new Map(start);
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
 */
export class Subscriber<E> implements AsyncIterableIterator<SubscriptionItem<E>> {
  private readonly states: StreamState<E>[] = [];
  private readonly queue: SubscriptionItem<E>[] = [];
  private queuedBytes = 0;
  private waitingConsumer: ((result: IteratorResult<SubscriptionItem<E>>) => void) | undefined;
  private drained: (() => void) | undefined;
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

  /** Live path: called synchronously by the tail for every record of the stream. */
  fromTail(state: StreamState<E>, delivery: TailDelivery<E>): void {
    if (this.ended || state.mode !== 'live') return;
    if (!state.synced) {
      const next = state.own.get(delivery.partition) ?? 0;
      if (delivery.offset < next) return; // already delivered by the catch-up reader
    }
    const wanted = this.filter(delivery.event);
    if (wanted && this.queuedBytes + delivery.size > this.host.maxQueueBytes) {
      this.fallBehind(state, delivery);
      return;
    }
    if (!state.synced) {
      state.own.set(delivery.partition, delivery.offset + 1);
      if (atOrPast(delivery.positions, state.own)) state.synced = true;
    }
    if (wanted) this.push({ event: delivery.event, positions: this.snapshot() }, delivery.size);
  }

  /** Leaves the live fan-out of one stream and reads on from its own position. */
  private fallBehind(state: StreamState<E>, delivery: TailDelivery<E>): void {
    const own = new Map(state.current());
    own.set(delivery.partition, delivery.offset);
    state.own = own;
    state.synced = false;
    state.mode = 'catching-up';
    state.tail.listeners.delete(state);
    this.startCatchUp(state);
  }

  private tryJoin(state: StreamState<E>): void {
    if (this.ended || state.mode === 'live') return;
    if (atOrPast(state.own, state.tail.positions)) {
      const reader = state.catchUp;
      state.catchUp = undefined;
      void reader?.close();
      state.mode = 'live';
      state.synced = atOrPast(state.tail.positions, state.own);
      state.tail.listeners.add(state);
      return;
    }
    if (!state.catchUp) this.startCatchUp(state);
  }

  private startCatchUp(state: StreamState<E>): void {
    const reader = this.host.openCatchUpReader(state.stream, state.own, (batch) =>
      this.fromCatchUp(state, reader, batch),
    );
    if (!reader) {
      this.end(this.host.catchUpUnavailable(this.snapshot()));
      return;
    }
    state.catchUp = reader;
    reader.done.catch((error: unknown) => {
      if (state.catchUp === reader) this.end(error);
    });
  }

  private async fromCatchUp(state: StreamState<E>, reader: LogReader | undefined, batch: RecordBatch): Promise<void> {
    if (this.ended || state.catchUp !== reader) return;
    const partition = batch.partition;
    for (const record of batch.records) {
      if (record.offset < (state.own.get(partition) ?? 0)) continue;
      state.own.set(partition, record.offset + 1);
      const event = this.host.decode(state.stream, record);
      if (this.filter(event)) this.push({ event, positions: this.snapshot() }, recordSize(record));
    }
    if (this.queuedBytes > this.host.maxQueueBytes) {
      await new Promise<void>((resolve) => (this.drained = resolve));
    }
    if (state.catchUp === reader) this.tryJoin(state);
  }

  private snapshot(): Positions {
    const positions = new Map<string, PartitionPositions>();
    for (const state of this.states) {
      positions.set(state.stream, state.synced ? state.tail.positions : new Map(state.own));
    }
    return positions;
  }

  private push(item: SubscriptionItem<E>, size: number): void {
    const consumer = this.waitingConsumer;
    if (consumer) {
      this.waitingConsumer = undefined;
      consumer({ value: item, done: false });
      return;
    }
    this.queue.push(item);
    this.queuedBytes += size;
    sizes.set(item, size);
  }

  /** Ends the subscription: with `error`, the consumer receives it as the last item. */
  end(error?: unknown): void {
    if (this.ended) return;
    if (error !== undefined) this.push({ error, positions: this.snapshot() }, 0);
    this.ended = true;
    this.detach();
    if (this.queue.length === 0) this.waitingConsumer?.({ value: undefined, done: true });
    this.waitingConsumer = undefined;
  }

  private detach(): void {
    for (const state of this.states) {
      state.tail.listeners.delete(state);
      const reader = state.catchUp;
      state.catchUp = undefined;
      void reader?.close();
    }
    this.drained?.();
    this.drained = undefined;
    this.host.release(this);
  }

  next(): Promise<IteratorResult<SubscriptionItem<E>>> {
    const item = this.queue.shift();
    if (item) {
      this.queuedBytes -= sizes.get(item) ?? 0;
      if (this.drained && this.queuedBytes <= this.host.maxQueueBytes / 2) {
        const drained = this.drained;
        this.drained = undefined;
        drained();
      }
      return Promise.resolve({ value: item, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waitingConsumer = resolve));
  }

  return(): Promise<IteratorResult<SubscriptionItem<E>>> {
    this.queue.length = 0;
    this.queuedBytes = 0;
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

// Sizes kept beside the items so the items stay plain, shareable objects.
const sizes = new WeakMap<object, number>();
