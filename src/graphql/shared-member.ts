import { locatedError, type ExecutionResult } from 'graphql';
import type { Endable } from '../auth/subscription-tracker.js';
import type { Positions } from '../events/cursor.js';
import type { RootField } from './shared-operation.js';

/** What a member needs from its group and from the gateway. */
export interface MemberHost {
  /** Where the member's errors go (not the whole operation: its key is the group's business). */
  readonly field: RootField;
  /** Bytes of queued results (as JSON) past which the member leaves its group. */
  readonly maxQueueBytes: number;
  /** Takes the member out of its group's broadcast; `fellBehind` when its queue was full. */
  leave(member: GroupMember, fellBehind: boolean): void;
  /**
   * Runs the member's operation alone from `positions`; `onSource` receives the fan-out
   * subscription under it, so that ending the member ends that execution the way it ends one
   * that never shared.
   */
  runAlone(positions: Positions, onSource: (source: Endable) => void): Promise<unknown>;
}

export type Final =
  | { readonly kind: 'done' }
  | { readonly kind: 'result'; readonly result: ExecutionResult }
  | { readonly kind: 'thrown'; readonly error: unknown };

/**
 * One result as the group hands it to every member: made once per result, never per member
 * (the iterator step itself is shared; consumers only read it).
 */
export interface SharedResult {
  readonly step: IteratorYieldResult<ExecutionResult>;
  /** The positions right after the event, undefined if unknown. */
  readonly positions: Positions | undefined;
  /** Its JSON's length, what a queue counts. */
  readonly bytes: number;
}

type Resolve = (
  step: IteratorResult<ExecutionResult> | Promise<IteratorResult<ExecutionResult>>,
) => void;

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One subscriber of a group: the results its group executes once, in a bounded queue of its own.
 * When the queue is full it leaves the group, sends what it holds, and goes on alone from the
 * positions of the last result it queued, so a slow subscriber never holds the others back and
 * loses nothing. Until the live positions at its start are known, results the group executed
 * for earlier events are held back, so it sees what it would have seen on its own.
 *
 * The hot path (a consumer waiting, a result arriving) hands the shared step straight to the
 * waiting consumer: per event a member costs the one promise its consumer asked for.
 */
export class GroupMember implements AsyncIterableIterator<ExecutionResult>, Endable {
  private readonly queue: SharedResult[] = [];
  private queuedBytes = 0;
  private grouped = true;
  private startPositions: Positions | undefined;
  private started = false;
  private lastPositions: Positions | undefined;
  private final: Final | undefined;
  private closed = false;
  /** The consumer waiting for the next result while the queue is empty and the group runs. */
  private waiting: Resolve | undefined;
  private alone: AsyncIterator<ExecutionResult> | undefined;
  private aloneSource: Endable | undefined;
  private readonly starting: Promise<void>;
  private begun = false;
  private resolveStarting!: () => void;
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly host: MemberHost) {
    this.starting = new Promise((resolve) => (this.resolveStarting = resolve));
  }

  /** Runs `cleanup` once when the member is done (tracker release, signal listener). */
  onClose(cleanup: () => void): void {
    if (this.closed) cleanup();
    else this.cleanups.push(cleanup);
  }

  /** The live positions when the member started: results for events up to them are skipped. */
  startAt(positions: Positions): void {
    this.startPositions = positions;
    while (this.queue.length > 0 && !ahead(this.queue[0]!.positions ?? positions, positions)) {
      this.queuedBytes -= this.queue.shift()!.bytes;
    }
    this.started = this.queue.length > 0;
    this.begin();
  }

  /** The live positions could not be had: the member ends with `error` before any result. */
  startFailed(error: unknown): void {
    this.final ??= { kind: 'result', result: setupError(this.host.field, error) };
    this.leaveGroup();
    this.begin();
  }

  /** Called by the group for each result it executes. */
  offer(shared: SharedResult): void {
    if (!this.grouped || this.final || this.closed) return;
    if (!this.started && this.startPositions) {
      if (shared.positions && !ahead(shared.positions, this.startPositions)) return;
      this.started = true;
    }
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      this.lastPositions = shared.positions;
      waiting(shared.step);
      return;
    }
    if (this.queue.length > 0 && this.queuedBytes + shared.bytes > this.host.maxQueueBytes) {
      this.leaveGroup(true);
      return;
    }
    this.queue.push(shared);
    this.queuedBytes += shared.bytes;
    this.lastPositions = shared.positions;
  }

  /** The group's execution ended: after what is queued, end the same way. */
  sourceEnded(final: Final): void {
    if (!this.grouped) return;
    this.grouped = false;
    this.final ??= final;
    this.wakeConsumer();
  }

  /** Ends the member (revoked or expired token, closed connection): `error` comes last. */
  end(error?: unknown): void {
    if (this.final || this.closed) return;
    if (this.aloneSource) {
      // The lone execution turns it into its own last result, as for any subscription.
      this.aloneSource.end(error);
      return;
    }
    this.final =
      error === undefined
        ? { kind: 'done' }
        : { kind: 'result', result: itemError(this.host.field, error) };
    this.leaveGroup();
    this.wakeConsumer();
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.begun && !this.closed) {
      const queued = this.queue.shift();
      if (queued) {
        this.queuedBytes -= queued.bytes;
        return Promise.resolve(queued.step);
      }
      if (this.grouped && !this.final) return new Promise((resolve) => (this.waiting = resolve));
    }
    return this.slowNext();
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.close();
    return DONE;
  }

  async throw(): Promise<IteratorResult<ExecutionResult>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Everything but a result handed over from the group: start, end, going on alone. */
  private async slowNext(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.begun) await this.starting;
    for (;;) {
      if (this.closed) return DONE;
      const queued = this.queue.shift();
      if (queued) {
        this.queuedBytes -= queued.bytes;
        return queued.step;
      }
      if (this.final) return this.takeFinal(this.final);
      if (this.grouped) return new Promise((resolve) => (this.waiting = resolve));
      if (!this.alone) {
        await this.openAlone();
        continue;
      }
      let step: IteratorResult<ExecutionResult>;
      try {
        step = await this.alone.next();
      } catch (error) {
        this.close();
        throw error;
      }
      if (!step.done) return step;
      if (this.final) continue;
      this.close();
      return DONE;
    }
  }

  private begin(): void {
    this.begun = true;
    this.resolveStarting();
  }

  /** A consumer waiting on the group gets what comes instead: the end, or the lone execution. */
  private wakeConsumer(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    waiting(this.slowNext());
  }

  private leaveGroup(fellBehind = false): void {
    if (!this.grouped) return;
    this.grouped = false;
    this.host.leave(this, fellBehind);
    this.wakeConsumer();
  }

  private takeFinal(final: Final): IteratorResult<ExecutionResult> {
    this.close();
    if (final.kind === 'thrown') throw final.error;
    return final.kind === 'result' ? { value: final.result, done: false } : DONE;
  }

  /** Goes on alone from the last result it queued (or from where it started, if none). */
  private async openAlone(): Promise<void> {
    const from = this.lastPositions
      ? furthest(this.lastPositions, this.startPositions!)
      : this.startPositions!;
    let result: unknown;
    try {
      result = await this.host.runAlone(from, (source) => (this.aloneSource = source));
    } catch (error) {
      this.final ??= { kind: 'thrown', error };
      return;
    }
    if (!isAsyncIterable(result)) {
      this.final ??= { kind: 'result', result: result as ExecutionResult };
      return;
    }
    this.alone = result[Symbol.asyncIterator]() as AsyncIterator<ExecutionResult>;
    if (this.closed) void this.alone.return?.();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.leaveGroup();
    void this.alone?.return?.();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(DONE);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}

/** An error for one event, placed as execution places it: `events` is non-null, so data is null. */
export function itemError(field: RootField, error: unknown): ExecutionResult {
  return { data: null, errors: [placed(field, error)] };
}

/** An error before the first event, as `subscribe` reports one from the field's setup. */
export function setupError(field: RootField, error: unknown): ExecutionResult {
  return { errors: [placed(field, error)] };
}

function placed(field: RootField, error: unknown) {
  return locatedError(error, [field.node], [field.responseName]);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}

/** True when `a` is past `b` on some partition: `a` follows an event after `b`. */
function ahead(a: Positions, b: Positions): boolean {
  for (const [stream, partitions] of a) {
    const other = b.get(stream);
    for (const [partition, offset] of partitions) {
      if (offset > (other?.get(partition) ?? 0)) return true;
    }
  }
  return false;
}

/** Per partition, the further of two positions. */
function furthest(a: Positions, b: Positions): Positions {
  const merged = new Map<string, Map<number, number>>();
  for (const source of [a, b]) {
    for (const [stream, partitions] of source) {
      let own = merged.get(stream);
      if (!own) merged.set(stream, (own = new Map()));
      for (const [partition, offset] of partitions) {
        own.set(partition, Math.max(offset, own.get(partition) ?? 0));
      }
    }
  }
  return merged;
}
