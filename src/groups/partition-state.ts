import type { LogRecord } from '../log/event-log.js';
import type { GroupMember } from './group-member.js';

/** A record of a partition, decoded once, with how often it was handed out unacknowledged. */
export interface GroupEntry<E> {
  readonly record: LogRecord;
  readonly event: E;
  deliveries: number;
}

/**
 * One partition the instance holds for a group. Its records pass through three places in
 * offset order: `pending` (read, not handed out), `inflight` (handed to `owner`, not
 * acknowledged) and then they are gone. The group's position is the first offset still in
 * either, or, when both are empty, the offset after the last record read.
 */
export class PartitionState<E> {
  pending: GroupEntry<E>[] = [];
  inflight: GroupEntry<E>[] = [];
  owner: GroupMember<E> | undefined;
  /** The member the partition moves to once `owner` has acknowledged what it holds. */
  movingTo: GroupMember<E> | undefined;
  /** The offset after the last record read; undefined until the first batch. */
  fetched: number | undefined;
  /** The last position committed (or known committed). */
  committed = -1;
  /** A dead letter is being written for the head of `pending`. */
  deadLettering = false;
  dropped = false;
  private commits: Promise<boolean> = Promise.resolve(true);
  private roomWaiters: (() => void)[] = [];

  constructor(
    readonly stream: string,
    readonly partition: number,
  ) {}

  get key(): string {
    return partitionKey(this.stream, this.partition);
  }

  /** The group's position: the first offset not yet processed, if any record was read. */
  position(): number | undefined {
    return this.inflight[0]?.record.offset ?? this.pending[0]?.record.offset ?? this.fetched;
  }

  /** Adds read records, skipping any already seen (a re-read after a rebalance). */
  add(entries: readonly GroupEntry<E>[], nextOffset?: number): void {
    for (const entry of entries) {
      if (this.fetched !== undefined && entry.record.offset < this.fetched) continue;
      this.pending.push(entry);
      this.fetched = entry.record.offset + 1;
    }
    if (nextOffset !== undefined && nextOffset > (this.fetched ?? -1)) this.fetched = nextOffset;
  }

  /** Resolves when `pending` is down to `low` entries (or the partition was dropped). */
  waitForRoom(low: number): Promise<void> {
    if (this.pending.length <= low || this.dropped) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  wakeIfRoom(low: number): void {
    if (this.pending.length > low && !this.dropped) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Takes back what the owner holds: it goes first again, to whichever member gets the
   * partition. Only the oldest counts as a failed delivery: it is the one the member stopped at.
   */
  release(): void {
    const back = this.inflight;
    this.inflight = [];
    if (this.owner) this.owner.unacked -= back.length;
    for (const entry of back.slice(1)) entry.deliveries = Math.max(0, entry.deliveries - 1);
    this.pending = [...back, ...this.pending];
    this.owner = undefined;
    this.movingTo = undefined;
  }

  /** Acknowledges `offset` and everything before it; false when nothing handed out covers it. */
  ack(offset: number): boolean {
    const last = this.inflight[this.inflight.length - 1];
    if (!last) return this.committed > offset || (this.position() ?? -1) > offset;
    const upTo = Math.min(offset, last.record.offset);
    let acked = 0;
    while (this.inflight[0] && this.inflight[0].record.offset <= upTo) {
      this.inflight.shift();
      acked++;
    }
    if (this.owner) this.owner.unacked -= acked;
    return true;
  }

  /** Commits the position through `commit`, one commit at a time; later ones carry the latest. */
  commit(commit: (offset: number) => Promise<boolean>): Promise<boolean> {
    const run = this.commits.then(async () => {
      const position = this.position();
      if (this.dropped) return false;
      if (position === undefined || position <= this.committed) return true;
      const ok = await commit(position);
      if (ok) this.committed = Math.max(this.committed, position);
      return ok;
    });
    this.commits = run.catch(() => false);
    return run;
  }

  drop(): void {
    this.dropped = true;
    if (this.owner) this.owner.unacked -= this.inflight.length;
    this.inflight = [];
    this.pending = [];
    this.owner = undefined;
    this.movingTo = undefined;
    this.wakeIfRoom(0);
  }
}

export function partitionKey(stream: string, partition: number): string {
  return `${partition}@${stream}`;
}
