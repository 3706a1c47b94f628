import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { onceFor } from '../fanout/delivery.js';
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
 * that the result of a shared delivery is computed once per group (and marked, for its JSON to
 * be made once too). A class, not closures: it lives as long as the subscription, and under tsx
 * (keepNames) every named closure carries a property table of its own.
 */
class MemberResults implements AsyncIterableIterator<ExecutionResult> {
  private left = false;

  constructor(
    private readonly items: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly group: Group,
    private readonly host: Groups,
  ) {}

  next(): Promise<IteratorResult<ExecutionResult>> {
    // Not async: an idle member waits on one promise, not on a suspended function as well.
    return this.items.next().then(
      (step) => this.resultOf(step),
      (error: unknown) => {
        this.leave();
        throw error;
      },
    );
  }

  private async resultOf(step: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> {
    if (step.done) {
      this.leave();
      return { value: undefined, done: true };
    }
    const item = step.value;
    const result = onceFor(
      item,
      this.group,
      () => this.execute(item).then(markShared),
      () => this.execute(item),
    );
    return { value: await result, done: false };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.leave();
    await this.items.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private execute(item: unknown): Promise<ExecutionResult> {
    this.host.executed();
    return Promise.resolve(execute({ ...this.args, rootValue: item }));
  }

  private leave(): void {
    if (this.left) return;
    this.left = true;
    this.host.leave(this.group);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}
