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

/** Partitions on which `a` is ahead of `b`. */
export function partitionsAhead(a: PartitionPositions, b: PartitionPositions): number[] {
  const ahead: number[] = [];
  for (const [partition, offset] of a) {
    if (offset > (b.get(partition) ?? 0)) ahead.push(partition);
  }
  return ahead;
}
