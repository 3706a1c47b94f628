import type { TailDelivery } from './delivery.js';
import { SharedRuns } from './shared-replay.js';

/**
 * The recent past of one partition as its tail reader delivered it: every record from `start`
 * up to the tail's position, decoded at most once. A subscription whose position on the
 * partition is at or after `start` is served from here, without reading Kafka.
 */
export class PartitionWindow<E> {
  private entries: TailDelivery<E>[] = [];
  private head = 0;
  /** Bytes of the entries held. */
  bytes = 0;
  /** What subscriptions resuming from the same positions share as they replay (shared-replay.ts). */
  readonly runs = new SharedRuns<E>();

  constructor(
    private readonly budget: WindowBudget,
    /** The first offset from which every record the tail delivered is held. */
    public start: number,
    /** The tail's position on the partition: where `start` goes when the window empties. */
    private readonly tailPosition: () => number,
  ) {
    budget.windows.add(this);
  }

  get length(): number {
    return this.entries.length - this.head;
  }

  append(entry: TailDelivery<E>): void {
    this.entries.push(entry);
    this.bytes += entry.size;
    this.budget.charge(entry.size);
  }

  /**
   * The entries at or after `offset`, or undefined when the window no longer reaches back that
   * far. Copies only the references, so the caller may keep them while the window moves on.
   */
  from(offset: number): TailDelivery<E>[] | undefined {
    if (offset < this.start) return undefined;
    let low = this.head;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle]!.offset < offset) low = middle + 1;
      else high = middle;
    }
    return this.entries.slice(low);
  }

  /** Drops the oldest entries until `bytes` have been freed or the window is empty. */
  shrink(bytes: number): number {
    let freed = 0;
    while (freed < bytes && this.head < this.entries.length) {
      const oldest = this.entries[this.head]!;
      this.entries[this.head] = undefined as unknown as TailDelivery<E>; // let it be collected
      this.head++;
      freed += oldest.size;
      this.start = this.entries[this.head]?.offset ?? this.tailPosition();
    }
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    this.bytes -= freed;
    this.budget.release(freed);
    return freed;
  }

  /** Empties the window for good (its tail closed). */
  discard(): void {
    this.budget.release(this.bytes);
    this.budget.windows.delete(this);
    this.runs.clear();
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
  }
}

/**
 * The bytes all hot windows of an instance may hold together. Past the bound, the largest
 * window gives up its oldest entries first: a busy stream keeps a shorter past, and cannot push
 * a quiet stream's out.
 */
export class WindowBudget {
  readonly windows = new Set<PartitionWindow<unknown>>();
  private total = 0;
  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  charge(bytes: number): void {
    this.total += bytes;
    if (this.total > this.maxBytes) this.evict();
  }

  release(bytes: number): void {
    this.total -= bytes;
  }

  /** Down to 90% of the bound, so eviction runs once per tenth of the bound, not per record. */
  private evict(): void {
    const target = this.maxBytes * 0.9;
    while (this.total > target) {
      let largest: PartitionWindow<unknown> | undefined;
      for (const window of this.windows) {
        if (!largest || window.bytes > largest.bytes) largest = window;
      }
      if (!largest || largest.bytes === 0) return;
      const excess = this.total - target;
      largest.shrink(Math.max(Math.min(excess, largest.bytes / 4), 1));
    }
  }
}
