import type { Positions } from '../events/cursor.js';
import type {
  EventLog,
  GroupOffsets,
  GroupReader,
  LogRecord,
  RecordBatch,
  TopicPartition,
} from '../log/event-log.js';
import type { GroupMember, MemberHost } from './group-member.js';
import { partitionKey, PartitionState, type GroupEntry } from './partition-state.js';

/** What an instance group needs from the service that made it. */
export interface InstanceGroupHost<E> {
  readonly log: EventLog;
  decode(stream: string, record: LogRecord): E;
  /** Writes the record to its stream's dead-letter stream. */
  deadLetter(record: LogRecord, reason: string, group: string, deliveries: number): Promise<void>;
  readonly maxDeliveries: number;
  /** Records read ahead per partition before the partition is held back. */
  readonly readAhead: number;
  /** The group has no member left on this instance and has left the log's group. */
  closed(group: InstanceGroup<E>): void;
  warn(object: object, message: string): void;
  readonly counters: { deadLetters: number; redeliveries: number };
  /**
   * Failed deliveries of events that were given back, by `<group>/<partition>@<stream>/<offset>`:
   * kept by the service, so they outlive this instance group (a sole member that crashes on an
   * event closes the group each time).
   */
  readonly failures: Map<string, number>;
}

/** Failed deliveries remembered per service; the oldest are forgotten first. */
const MAX_REMEMBERED_FAILURES = 10_000;

/**
 * A consumer group as one gateway instance sees it: one log group reader (on Kafka one
 * consumer in the group; Kafka gives it some of the partitions), and the members connected
 * here. Each partition it holds goes to one member at a time, in order; a member holds at most
 * its `maxUnacked` events. A member that leaves gives back what it did not acknowledge, which
 * goes first to the member that gets the partition next.
 */
export class InstanceGroup<E> implements MemberHost<E> {
  readonly members: GroupMember<E>[] = [];
  readonly partitions = new Map<string, PartitionState<E>>();
  private reader: GroupReader | undefined;
  private pumping = false;
  private pumpAgain = false;
  private closing: Promise<void> | undefined;
  private startedWith: { start: GroupOffsets; otherwise: 'earliest' | 'latest' } | undefined;

  constructor(
    /** The log's group name: `streamgate.<tenant or _>.<group>`. */
    readonly id: string,
    readonly streams: readonly string[],
    private readonly host: InstanceGroupHost<E>,
  ) {}

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  /** Joins the log's group with the first member's start; resolves once joined. */
  async open(start: GroupOffsets, otherwise: 'earliest' | 'latest'): Promise<void> {
    this.startedWith = { start, otherwise };
    const reader = this.host.log.readGroup({
      group: this.id,
      topics: this.streams,
      start,
      otherwise,
      onAssigned: (held) => this.assigned(held),
      onBatch: (batch) => this.received(batch),
    });
    this.reader = reader;
    void reader.done.catch((error: unknown) => {
      if (this.reader !== reader) return;
      this.host.warn({ err: error, group: this.id }, 'consumer group reader failed');
      for (const member of [...this.members]) member.end(error);
    });
    await reader.ready;
  }

  join(member: GroupMember<E>): void {
    member.attach(this);
    this.members.push(member);
    this.balance();
    this.pump();
  }

  left(member: GroupMember<E>): void {
    const index = this.members.indexOf(member);
    if (index < 0) return;
    this.members.splice(index, 1);
    for (const state of this.partitions.values()) {
      if (state.owner === member) {
        const head = state.inflight[0];
        if (head) {
          this.host.counters.redeliveries += state.inflight.length;
          this.rememberFailure(state, head);
        }
        state.release();
      } else if (state.movingTo === member) {
        state.movingTo = undefined;
      }
    }
    if (this.members.length === 0) {
      void this.close();
      return;
    }
    this.balance();
    this.pump();
  }

  /** Leaves the log's group, so the group's other instances take its partitions over. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const member of [...this.members]) member.end();
      for (const state of this.partitions.values()) state.drop();
      this.partitions.clear();
      const reader = this.reader;
      this.reader = undefined;
      await reader?.close();
      this.host.closed(this);
    })();
    return this.closing;
  }

  /**
   * Leaves the log's group, runs `change` (new positions) and joins again; the members stay and
   * continue from the new positions. What they held unacknowledged is forgotten.
   */
  async reposition(change: () => Promise<void>): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    for (const state of this.partitions.values()) state.drop();
    this.partitions.clear();
    await reader?.close();
    try {
      await change();
    } finally {
      if (!this.closing && this.startedWith)
        await this.open(this.startedWith.start, this.startedWith.otherwise);
    }
  }

  /**
   * Acknowledges `offset` and everything before it in the partition; resolves true once the
   * group's position is committed, false when this instance does not hold the partition.
   */
  async ack(stream: string, partition: number, offset: number): Promise<boolean> {
    const state = this.partitions.get(partitionKey(stream, partition));
    if (!state || !state.ack(offset)) return false;
    this.settleMove(state);
    this.pump();
    return this.commit(state);
  }

  /** The positions the group has committed, as this instance knows them. */
  heldPartitions(): PartitionState<E>[] {
    return [...this.partitions.values()];
  }

  private failureKey(state: PartitionState<E>, offset: number): string {
    return `${this.id}/${state.key}/${offset}`;
  }

  private rememberFailure(state: PartitionState<E>, entry: GroupEntry<E>): void {
    const failures = this.host.failures;
    const key = this.failureKey(state, entry.record.offset);
    failures.delete(key);
    failures.set(key, entry.deliveries);
    if (failures.size > MAX_REMEMBERED_FAILURES) failures.delete(failures.keys().next().value!);
  }

  private commit(state: PartitionState<E>): Promise<boolean> {
    const reader = this.reader;
    if (!reader) return Promise.resolve(false);
    return state.commit((position) => reader.commit(state.stream, state.partition, position));
  }

  private assigned(held: readonly TopicPartition[]): void {
    const keys = new Set(held.map((tp) => partitionKey(tp.topic, tp.partition)));
    for (const [key, state] of this.partitions) {
      if (keys.has(key)) continue;
      state.drop();
      this.partitions.delete(key);
    }
    for (const tp of held) {
      const key = partitionKey(tp.topic, tp.partition);
      if (!this.partitions.has(key))
        this.partitions.set(key, new PartitionState(tp.topic, tp.partition));
    }
    this.balance();
    this.pump();
  }

  private received(batch: RecordBatch): Promise<void> | void {
    const state = this.partitions.get(partitionKey(batch.topic, batch.partition));
    if (!state || state.dropped) return;
    const entries: GroupEntry<E>[] = batch.records.map((record) => ({
      record,
      event: this.host.decode(batch.topic, record),
      deliveries: this.host.failures.get(this.failureKey(state, record.offset)) ?? 0,
    }));
    state.add(entries, batch.nextOffset);
    this.pump();
    // Nothing to hand out (only markers were read, or all was handed out): the position may move.
    if (entries.length === 0 && state.inflight.length === 0 && state.pending.length === 0)
      void this.commit(state).catch(() => false);
    if (state.pending.length > this.host.readAhead)
      return state.waitForRoom(Math.floor(this.host.readAhead / 2));
  }

  /**
   * Spreads the held partitions evenly over the members, moving as few as it can. A partition
   * taken from a member that still holds unacknowledged events of it moves once they are
   * acknowledged (or the member leaves), so its order holds.
   */
  private balance(): void {
    const members = this.members.filter((member) => !member.ended);
    if (members.length === 0) return;
    const states = [...this.partitions.values()].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
    const quota = (index: number) =>
      Math.floor(states.length / members.length) + (index < states.length % members.length ? 1 : 0);
    const owned = new Map(members.map((member) => [member, [] as PartitionState<E>[]]));
    const homeless: PartitionState<E>[] = [];
    for (const state of states) {
      const target = state.movingTo ?? state.owner;
      const list = target ? owned.get(target) : undefined;
      if (list) list.push(state);
      else homeless.push(state);
    }
    // The members holding most keep the larger quotas.
    const ranked = [...members].sort((a, b) => owned.get(b)!.length - owned.get(a)!.length);
    ranked.forEach((member, index) => {
      const list = owned.get(member)!;
      while (list.length > quota(index)) homeless.push(list.pop()!);
    });
    ranked.forEach((member, index) => {
      const list = owned.get(member)!;
      while (list.length < quota(index) && homeless.length > 0) {
        const state = homeless.shift()!;
        list.push(state);
        this.moveTo(state, member);
      }
    });
  }

  private moveTo(state: PartitionState<E>, member: GroupMember<E>): void {
    if (state.owner === member) {
      state.movingTo = undefined;
      return;
    }
    if (!state.owner || state.owner.ended || state.inflight.length === 0) {
      if (state.owner && state.inflight.length > 0) state.release();
      state.owner = member;
      state.movingTo = undefined;
    } else {
      state.movingTo = member;
    }
  }

  private settleMove(state: PartitionState<E>): void {
    if (state.movingTo && state.inflight.length === 0) {
      state.owner = state.movingTo;
      state.movingTo = undefined;
    }
  }

  /** Hands pending events to their partitions' owners while they have room. */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        for (const state of this.partitions.values()) this.pumpPartition(state);
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  private pumpPartition(state: PartitionState<E>): void {
    this.settleMove(state);
    const owner = state.owner;
    if (!owner || owner.ended || state.movingTo || state.deadLettering) return;
    let skipped = false;
    while (state.pending.length > 0 && owner.hasRoom) {
      const entry = state.pending[0]!;
      if (entry.deliveries >= this.host.maxDeliveries) {
        this.writeDeadLetter(state, entry);
        return;
      }
      state.pending.shift();
      if (!owner.accepts(entry.event)) {
        skipped = true;
        continue;
      }
      entry.deliveries++;
      state.inflight.push(entry);
      owner.deliver(
        entry.event,
        positionsAfter(state.stream, state.partition, entry.record.offset),
      );
    }
    state.wakeIfRoom(Math.floor(this.host.readAhead / 2));
    if (skipped && state.inflight.length === 0) void this.commit(state).catch(() => false);
  }

  private writeDeadLetter(state: PartitionState<E>, entry: GroupEntry<E>): void {
    state.deadLettering = true;
    const reason = `delivered ${entry.deliveries} times without an acknowledgement in consumer group ${this.id}`;
    void this.host.deadLetter(entry.record, reason, this.id, entry.deliveries).then(
      () => {
        state.deadLettering = false;
        if (state.dropped || state.pending[0] !== entry) return;
        state.pending.shift();
        this.host.counters.deadLetters++;
        void this.commit(state).catch(() => false);
        this.pump();
      },
      (error: unknown) => {
        this.host.warn(
          { err: error, group: this.id, stream: state.stream, partition: state.partition },
          'writing a dead letter failed; trying again',
        );
        setTimeout(() => {
          state.deadLettering = false;
          this.pump();
        }, 1000).unref();
      },
    );
  }
}

function positionsAfter(stream: string, partition: number, offset: number): Positions {
  return new Map([[stream, new Map([[partition, offset + 1]])]]);
}
