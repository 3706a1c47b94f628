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

/**
 * Execute once per group, inside the fan-out's delivery path: each subscription keeps its own
 * fan-out subscription (its own queue, positions, catch-up and falling behind), and a delivery
 * the fan-out shares between in-step subscribers carries the group's result (SharedDelivery),
 * executed by the first member that takes it.
 */
export function createSharedExecutions(): SharedExecutions {
  const groups = new Map<string, Group>();
  let executions = 0;

  function join(key: string): Group {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = new Group(key)));
    group.members++;
    return group;
  }

  function leave(group: Group): void {
    if (--group.members === 0 && groups.get(group.key) === group) groups.delete(group.key);
  }

  return {
    async subscribe(operation, args) {
      const group = join(operation.key);
      let source: unknown;
      try {
        source = await createSourceEventStream(args);
      } catch (error) {
        leave(group);
        throw error;
      }
      if (!isAsyncIterable(source)) {
        leave(group);
        return source;
      }
      const items = source[Symbol.asyncIterator]();
      // As graphql-js's subscribe maps each event to a result, with the result of a shared
      // delivery computed once per group (and marked, for its JSON to be made once too).
      const executeOn = (item: unknown) => {
        executions++;
        return execute({ ...args, rootValue: item });
      };
      const executeShared = (item: unknown) => {
        executions++;
        return Promise.resolve(execute({ ...args, rootValue: item })).then(markShared);
      };
      let left = false;
      const done = () => {
        if (left) return;
        left = true;
        leave(group);
      };
      return {
        async next(): Promise<IteratorResult<ExecutionResult>> {
          let step: IteratorResult<unknown>;
          try {
            step = await items.next();
          } catch (error) {
            done();
            throw error;
          }
          if (step.done) {
            done();
            return { value: undefined, done: true };
          }
          const item = step.value;
          const result = onceFor(
            item,
            group,
            () => executeShared(item),
            () => executeOn(item),
          );
          return { value: await result, done: false };
        },
        async return(): Promise<IteratorResult<ExecutionResult>> {
          done();
          await items.return?.();
          return { value: undefined, done: true };
        },
        async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
          done();
          await items.return?.();
          throw error;
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      } satisfies AsyncIterableIterator<ExecutionResult>;
    },
    stats() {
      let members = 0;
      for (const group of groups.values()) members += group.members;
      return { groups: groups.size, members, executions };
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}
