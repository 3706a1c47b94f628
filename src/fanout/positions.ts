/** Next offset to read, per partition of one stream. */
export type PartitionPositions = ReadonlyMap<number, number>;

/** Next offset to read per partition, per stream: what a cursor holds. */
export type Positions = ReadonlyMap<string, PartitionPositions>;

/** True when `a` is at or past `b` on every partition of `b`. */
export function atOrPast(a: PartitionPositions, b: PartitionPositions): boolean {
  for (const [partition, offset] of b) {
    if ((a.get(partition) ?? 0) < offset) return false;
  }
  return true;
}

/**
 * The positions right after one record: a shared, never-mutated map of the positions before its
 * batch, and the one partition that moved. A tail reader makes one per record, so a record
 * costs one small object instead of a copy of every partition's offset; the full map is built
 * only when something iterates it (a cursor being encoded), and then once.
 */
export class PositionsAfterRecord implements PartitionPositions {
  private flat: Map<number, number> | undefined;

  constructor(
    private readonly base: ReadonlyMap<number, number>,
    readonly partition: number,
    readonly offset: number,
  ) {}

  get size(): number {
    return this.base.has(this.partition) ? this.base.size : this.base.size + 1;
  }

  get(partition: number): number | undefined {
    return partition === this.partition ? this.offset : this.base.get(partition);
  }

  has(partition: number): boolean {
    return partition === this.partition || this.base.has(partition);
  }

  forEach(
    callback: (offset: number, partition: number, map: ReadonlyMap<number, number>) => void,
    thisArg?: unknown,
  ): void {
    for (const [partition, offset] of this.toMap()) callback.call(thisArg, offset, partition, this);
  }

  entries(): MapIterator<[number, number]> {
    return this.toMap().entries();
  }

  keys(): MapIterator<number> {
    return this.toMap().keys();
  }

  values(): MapIterator<number> {
    return this.toMap().values();
  }

  [Symbol.iterator](): MapIterator<[number, number]> {
    return this.toMap().entries();
  }

  /** The same positions as a plain map: built once, then shared (callers must not mutate it). */
  toMap(): ReadonlyMap<number, number> {
    if (!this.flat) {
      this.flat = new Map(this.base);
      this.flat.set(this.partition, this.offset);
    }
    return this.flat;
  }
}

/** A plain map of `positions`, without copying one that already is (for a batch's base). */
export function flatPositions(positions: PartitionPositions): ReadonlyMap<number, number> {
  return positions instanceof PositionsAfterRecord ? positions.toMap() : positions;
}
