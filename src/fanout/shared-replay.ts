import { SharedDelivery, type TailDelivery } from './delivery.js';
import { flatPositions, PositionsAfterRecord, type PartitionPositions } from './positions.js';

/** Entries one replay run covers at most: what its shared deliveries may hold at once. */
export const SHARED_RUN_ENTRIES = 128;
/** Runs one hot window keeps at most, the least recently used going first. */
const MAX_RUNS = 64;
/** A run nobody took for this long is let go. */
const RUN_TTL_MS = 2_000;

/**
 * A stretch of one partition's hot window as every subscription starting at the same positions
 * takes it: one SharedDelivery per record, made by the first that gets there and taken as the
 * same object by the others. Subscriptions that resume together from one cursor (a reconnect
 * storm after a deploy: every client in step with the tail had the same one) then share the
 * positions of each record, and the GraphQL layer executes and serializes each once per group
 * instead of once per subscription.
 */
export class SharedRun<E> {
  private readonly deliveries: SharedDelivery<E>[] = [];
  private readonly base: ReadonlyMap<number, number>;
  usedAt = performance.now();

  constructor(
    private readonly entries: readonly TailDelivery<E>[],
    before: PartitionPositions,
  ) {
    this.base = flatPositions(before);
  }

  get length(): number {
    return this.entries.length;
  }

  entry(index: number): TailDelivery<E> {
    return this.entries[index]!;
  }

  /**
   * The delivery of the `index`th record for a subscription of this stream alone, with the
   * positions right after it. Reads the record's event: call it once the event decoded.
   */
  delivery(index: number): SharedDelivery<E> {
    let delivery = this.deliveries[index];
    if (!delivery) {
      const entry = this.entries[index]!;
      const after = new PositionsAfterRecord(this.base, entry.partition, entry.offset + 1);
      delivery = new SharedDelivery(entry.event, new Map([[entry.stream, after]]));
      this.deliveries[index] = delivery;
    }
    return delivery;
  }
}

/** The replay runs of one partition's window, by the positions they start from. */
export class SharedRuns<E> {
  private readonly runs = new Map<string, SharedRun<E>>();

  /**
   * The run that starts at `entries[from]` for a subscription at `before`, made when no
   * subscription started there lately. It covers at most SHARED_RUN_ENTRIES records (fewer
   * when the window held fewer then); the caller goes on from the positions after its last.
   */
  runFrom(
    before: PartitionPositions,
    entries: readonly TailDelivery<E>[],
    from: number,
  ): SharedRun<E> {
    const key = positionsKey(before);
    const now = performance.now();
    const known = this.runs.get(key);
    this.runs.delete(key);
    if (known && now - known.usedAt < RUN_TTL_MS && known.entry(0) === entries[from]) {
      known.usedAt = now;
      this.runs.set(key, known); // most recently used last
      return known;
    }
    const run = new SharedRun(entries.slice(from, from + SHARED_RUN_ENTRIES), before);
    this.runs.set(key, run);
    for (const [oldKey, old] of this.runs) {
      if (this.runs.size <= MAX_RUNS && now - old.usedAt < RUN_TTL_MS) break;
      this.runs.delete(oldKey);
    }
    return run;
  }

  clear(): void {
    this.runs.clear();
  }
}

const keys = new WeakMap<PartitionPositions, string>();

/** The positions as text, the same for equal positions; kept per object, which runs share. */
function positionsKey(positions: PartitionPositions): string {
  let key = keys.get(positions);
  if (key === undefined) {
    key = [...positions]
      .sort((a, b) => a[0] - b[0])
      .map(([partition, offset]) => `${partition}:${offset}`)
      .join(',');
    keys.set(positions, key);
  }
  return key;
}
