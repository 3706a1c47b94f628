import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { isMappable, SharedDelivery, type ItemMapper } from '../fanout/delivery.js';
import type { SharedOperation } from './shared-operation.js';
import { markShared } from './shared-result-json.js';

export interface SharedExecutionStats {
  /** Groups with a subscription now: one per sharing key. */
  readonly groups: number;
  /** Subscriptions of some group now. */
  readonly members: number;
  /**
   * Results executed for members so far: one per event per group while its members are in step
   * with the live tail, one per member for events a member reads by itself (catching up).
   */
  readonly executions: number;
}

export interface SharedExecutions {
  /**
   * Subscribes `args` as a member of the group of `operation`: what graphql-js's `subscribe`
   * gives (the results, or a result with errors), except that an event the fan-out hands to the
   * group's members as one shared delivery is executed once for all of them.
   */
  subscribe(operation: SharedOperation, args: ExecutionArgs): Promise<unknown>;
  stats(): SharedExecutionStats;
}

/** The subscriptions of one key: the key of the work their shared deliveries hold. */
class Group {
  members = 0;

  constructor(readonly key: string) {}
}

interface Groups {
  leave(group: Group): void;
  executed(): void;
}

/**
 * Execute once per group, inside the fan-out's delivery path: each subscription keeps its own
 * fan-out subscription (its own queue, positions, catch-up and falling behind), and a delivery
 * the fan-out shares between in-step subscribers carries the group's result (SharedDelivery),
 * executed by the first member that takes it.
 */
export function createSharedExecutions(): SharedExecutions {
  const groups = new Map<string, Group>();
  let executions = 0;
  const host: Groups = {
    leave(group) {
      if (--group.members === 0 && groups.get(group.key) === group) groups.delete(group.key);
    },
    executed: () => executions++,
  };

  return {
    async subscribe(operation, args) {
      let group = groups.get(operation.key);
      if (!group) groups.set(operation.key, (group = new Group(operation.key)));
      group.members++;
      let source: unknown;
      try {
        source = await createSourceEventStream(args);
      } catch (error) {
        host.leave(group);
        throw error;
      }
      if (!isAsyncIterable(source)) {
        host.leave(group);
        return source;
      }
      return new MemberResults(source[Symbol.asyncIterator](), args, group, host);
    },
    stats() {
      let members = 0;
      for (const group of groups.values()) members += group.members;
      return { groups: groups.size, members, executions };
    },
  };
}

/**
 * One member's results: its events mapped to results as graphql-js's subscribe maps them, except
 * that the result of a shared delivery is executed once per group and its iterator step shared
 * by the members (and marked, for its JSON to be made once too). Over the fan-out's subscription
 * it maps each item as the subscription hands it over (ItemMapper), so a member in step with the
 * live tail costs per event no promise or microtask beyond the one its consumer awaits. A class,
 * not closures: it lives as long as the subscription, and under tsx (keepNames) every named
 * closure carries a property table of its own.
 */
class MemberResults
  implements AsyncIterableIterator<ExecutionResult>, ItemMapper<unknown, ExecutionResult>
{
  private left = false;

  constructor(
    private readonly items: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly group: Group,
    private readonly host: Groups,
  ) {}

  next(): Promise<IteratorResult<ExecutionResult>> {
    const items = this.items;
    if (isMappable(items)) return items.nextMapped(this);
    // Some other source of events: map its steps as they come.
    return items.next().then(
      (step) => (step.done ? this.mapEnd() : this.mapItem(step.value)),
      (error: unknown) => {
        this.leave();
        throw error;
      },
    );
  }

  mapItem(
    item: unknown,
  ): IteratorResult<ExecutionResult> | Promise<IteratorResult<ExecutionResult>> {
    if (!(item instanceof SharedDelivery)) return this.execute(item, false);
    let step = item.shared(this.group) as ReturnType<MemberResults['execute']> | undefined;
    if (step === undefined) item.share(this.group, (step = this.execute(item, true)));
    return step;
  }

  mapEnd(): IteratorReturnResult<undefined> {
    this.leave();
    return DONE;
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.leave();
    await this.items.return?.();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The step for one item; a shared one is marked, its JSON made once for the group. */
  private execute(
    item: unknown,
    shared: boolean,
  ): IteratorYieldResult<ExecutionResult> | Promise<IteratorYieldResult<ExecutionResult>> {
    this.host.executed();
    const result = execute({ ...this.args, rootValue: item });
    if (isPromise(result)) return result.then((value) => yielded(value, shared));
    return yielded(result, shared);
  }

  private leave(): void {
    if (this.left) return;
    this.left = true;
    this.host.leave(this.group);
  }
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

function yielded(result: ExecutionResult, shared: boolean): IteratorYieldResult<ExecutionResult> {
  return { value: shared ? markShared(result) : result, done: false };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Partial<Promise<T>> | null)?.then === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}
