/**
 * Helpers of the fan-out tests: a test event, a consumer that can stall, an appender, and the
 * checks every scenario makes (exact sequences per partition, cursor semantics).
 */
import { expect } from 'vitest';
import type { Delivery, SubscriptionItem } from '../../src/fanout/delivery.js';
import type { FanoutSubscription } from '../../src/fanout/fanout.js';
import type { PartitionPositions, Positions } from '../../src/fanout/positions.js';
import { Subscriber } from '../../src/fanout/subscriber.js';
import type { AppendResult, EventLog, LogRecord } from '../../src/log/event-log.js';

/** What the tests' decode makes of a record. */
export interface TestEvent {
  readonly stream: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

export function decodeTestEvent(stream: string, record: LogRecord): TestEvent {
  return {
    stream,
    partition: record.partition,
    offset: record.offset,
    value: record.value?.toString('utf8') ?? '',
  };
}

export const everything = () => true;

/**
 * Pulls a subscription the way the GraphQL layer does (one next() at a time) and keeps what it
 * gets. `paused` consumers call next() no more until resumed: a stalled client.
 */
export class TestConsumer {
  readonly events: TestEvent[] = [];
  readonly deliveries: Delivery<TestEvent>[] = [];
  /** The item that ended the subscription with an error, if one did. */
  failure: { readonly error: unknown; readonly positions: Positions } | undefined;
  done = false;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  readonly finished: Promise<void>;
  /** The subscription, with the state the fan-out keeps of it. */
  readonly subscription: Subscriber<TestEvent>;

  constructor(subscription: FanoutSubscription<TestEvent>, options: { paused?: boolean } = {}) {
    if (!(subscription instanceof Subscriber)) throw new TypeError('not a fan-out Subscriber');
    this.subscription = subscription;
    if (options.paused) this.pause();
    this.finished = this.run();
  }

  pause(): void {
    this.gate ??= new Promise((resolve) => (this.openGate = resolve));
  }

  resume(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  private async run(): Promise<void> {
    for (;;) {
      while (this.gate) await this.gate;
      const result: IteratorResult<SubscriptionItem<TestEvent>> = await this.subscription.next();
      if (result.done) {
        this.done = true;
        return;
      }
      const item = result.value;
      if ('error' in item) this.failure = item;
      else {
        this.deliveries.push(item);
        this.events.push(item.event);
      }
    }
  }
}

/** A value of about `bytes` bytes that names its record. */
export function valueOf(label: string, bytes = 64): Buffer {
  return Buffer.from(label.padEnd(bytes, '.'));
}

/**
 * Appends `count` records spread round-robin over `partitions`, `batch` per append call, each
 * append awaited before the next: a steady stream of publishes.
 */
export async function appendRecords(
  log: EventLog,
  topic: string,
  options: {
    count: number;
    partitions: number;
    batch?: number;
    label?: string;
    bytes?: number;
    timestamp?: number;
  },
): Promise<AppendResult[]> {
  const { count, partitions, batch = 50, label = 'r', bytes = 64, timestamp } = options;
  const results: AppendResult[] = [];
  for (let first = 0; first < count; first += batch) {
    const records = [];
    for (let i = first; i < Math.min(first + batch, count); i++) {
      records.push({
        key: null,
        value: valueOf(`${label}-${i}`, bytes),
        partition: i % partitions,
        ...(timestamp === undefined ? {} : { timestamp }),
      });
    }
    results.push(...(await log.append(topic, records)));
  }
  return results;
}

/** Offsets per partition, in the order given. */
export function byPartition(
  items: readonly { partition: number; offset: number }[],
): Map<number, number[]> {
  const result = new Map<number, number[]>();
  for (const { partition, offset } of items) {
    let offsets = result.get(partition);
    if (!offsets) result.set(partition, (offsets = []));
    offsets.push(offset);
  }
  return result;
}

/** Exact sequences: every expected record once, in log order per partition, nothing else. */
export function expectSequences(
  events: readonly TestEvent[],
  stream: string,
  expected: readonly AppendResult[],
): void {
  const got = byPartition(events.filter((e) => e.stream === stream));
  const want = byPartition(
    [...expected].filter((r) => r.topic === stream).sort((a, b) => a.offset - b.offset),
  );
  expect(sorted(got)).toEqual(sorted(want));
}

function sorted(map: Map<number, number[]>): [number, number[]][] {
  return [...map].sort((a, b) => a[0] - b[0]);
}

/**
 * The cursor contract, checked on every delivery of an unfiltered subscription: its positions
 * are, on every partition of every stream, past the last event delivered there so far (or at
 * the start) and not past the next one delivered there. Resuming there then yields exactly the
 * events that followed it. (Between the two lie only offsets that hold no event, such as the
 * markers Kafka writes when a transaction commits.)
 */
export function expectExactCursors(
  deliveries: readonly Delivery<TestEvent>[],
  start: Positions,
): void {
  const key = (stream: string, partition: number) => `${stream}\u0000${partition}`;
  /** Per partition, the offsets delivered, in order, and how far each check has come. */
  const delivered = new Map<string, number[]>();
  for (const { event } of deliveries) {
    const offsets = delivered.get(key(event.stream, event.partition)) ?? [];
    offsets.push(event.offset);
    delivered.set(key(event.stream, event.partition), offsets);
  }
  const seen = new Map<string, number>();
  deliveries.forEach(({ event, positions }, index) => {
    const k = key(event.stream, event.partition);
    seen.set(k, (seen.get(k) ?? 0) + 1);
    for (const [stream, partitions] of start) {
      for (const [partition, from] of partitions) {
        const offsets = delivered.get(key(stream, partition)) ?? [];
        const count = seen.get(key(stream, partition)) ?? 0;
        const low = count > 0 ? offsets[count - 1]! + 1 : from;
        const high = offsets[count] ?? Infinity;
        const got = positions.get(stream)?.get(partition);
        if (got === undefined || got < low || got > high) {
          expect({ index, event, stream, partition, position: got }).toEqual({
            index,
            event,
            stream,
            partition,
            position: `from ${low} to ${high}`,
          });
        }
      }
    }
  });
}

/** Positions as sorted plain data, for comparing and printing. */
export function plain(positions: Positions): Record<string, [number, number][]> {
  return Object.fromEntries(
    [...positions]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([stream, p]) => [stream, [...p].sort((a, b) => a[0] - b[0])]),
  );
}

/** The positions to start a stream at its first retained record. */
export async function earliest(log: EventLog, stream: string): Promise<PartitionPositions> {
  return new Map((await log.offsets(stream)).map((o) => [o.partition, o.low]));
}
