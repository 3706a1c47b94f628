import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Positions } from '../events/cursor.js';
import type { GatewayContext } from './context.js';
import { groupContext, resumeContext } from './shared-context.js';
import {
  GroupMember,
  setupError,
  type Final,
  type MemberHost,
  type SharedResult,
} from './shared-member.js';
import type { RootField, SharedOperation } from './shared-operation.js';
import { recordResultPositions } from './result-positions.js';
import { serializedResult } from './shared-result-json.js';

/** The subscribe step of the pipeline: an async iterable of results, or a result with errors. */
export type SubscribeFunction = (args: ExecutionArgs) => unknown;

export interface SharedExecutionOptions {
  /**
   * Bytes of results (counted as their JSON) one subscriber may hold queued before it leaves
   * its group and goes on alone. Results are shared, so this bounds how long a slow subscriber
   * keeps them alive rather than memory per subscriber.
   * @default 1048576
   */
  readonly maxMemberQueueBytes?: number;
}

const defaults = { maxMemberQueueBytes: 1 << 20 } as const;

export interface SharedExecutionStats {
  /** Groups executing now. */
  readonly groups: number;
  /** Subscriptions receiving a group's results now. */
  readonly members: number;
  /** Results executed by groups so far: one per event per group, however many members. */
  readonly executions: number;
  /** Members that fell behind their group and went on alone, so far. */
  readonly departures: number;
}

export interface SharedExecutions {
  /**
   * Subscribes `args` as a member of the group of `operation`, starting the group when there is
   * none. Resolves to what `subscribe` itself would: the member's results, or a result with errors.
   */
  subscribe(
    operation: SharedOperation,
    args: ExecutionArgs,
    subscribe: SubscribeFunction,
  ): Promise<unknown>;
  stats(): SharedExecutionStats;
}

/**
 * Execute once per group: subscriptions with the same key (shared-operation.ts) share one
 * execution of their operation, and each event's result object (and its JSON) goes to all.
 */
export function createSharedExecutions(options: SharedExecutionOptions = {}): SharedExecutions {
  const maxQueueBytes = options.maxMemberQueueBytes ?? defaults.maxMemberQueueBytes;
  const groups = new Map<string, ExecutionGroup>();
  const counters = { executions: 0, departures: 0 };
  const hooks: GroupHooks = {
    maxQueueBytes,
    closed: (group) => {
      if (groups.get(group.key) === group) groups.delete(group.key);
    },
    executed: () => counters.executions++,
    departed: () => counters.departures++,
  };

  return {
    async subscribe(operation, args, subscribe) {
      for (;;) {
        let group = groups.get(operation.key);
        if (!group) {
          group = new ExecutionGroup(operation.key, args, subscribe, hooks);
          groups.set(operation.key, group);
        }
        // A group that could not start is no group: each subscriber then gets its own answer.
        if (!(await group.ready)) return subscribe(args);
        // The last member left while this one waited: start anew.
        if (group.closed) continue;
        return group.join(operation, args, subscribe);
      }
    },
    stats() {
      let members = 0;
      for (const group of groups.values()) members += group.members.size;
      return { groups: groups.size, members, ...counters };
    },
  };
}

interface GroupHooks {
  readonly maxQueueBytes: number;
  closed(group: ExecutionGroup): void;
  executed(): void;
  departed(): void;
}

/** One execution of one operation, its results broadcast to the members' queues. */
class ExecutionGroup {
  readonly members = new Set<GroupMember>();
  readonly ready: Promise<boolean>;
  closed = false;
  private source: AsyncIterator<ExecutionResult> | undefined;
  private streams: readonly string[] = [];
  /** Positions of the items the execution pulled and has not yet yielded results for. */
  private readonly pulled: Positions[] = [];
  private services: GatewayContext['services'] | undefined;

  constructor(
    readonly key: string,
    args: ExecutionArgs,
    subscribe: SubscribeFunction,
    private readonly hooks: GroupHooks,
  ) {
    this.ready = this.start(args, subscribe);
  }

  private async start(args: ExecutionArgs, subscribe: SubscribeFunction): Promise<boolean> {
    const context = args.contextValue as GatewayContext;
    this.services = context.services;
    const shared = groupContext(context, {
      onStart: (streams) => (this.streams = streams),
      onItem: (positions) => this.pulled.push(positions),
    });
    let result: unknown;
    try {
      // No signal of the first member's connection either (Yoga's cancellation would pass one).
      result = await subscribe({
        ...args,
        contextValue: shared,
        signal: undefined,
      } as ExecutionArgs);
    } catch {
      result = undefined;
    }
    if (!isAsyncIterable(result)) {
      this.close();
      return false;
    }
    this.source = result[Symbol.asyncIterator]() as AsyncIterator<ExecutionResult>;
    void this.pump(this.source);
    return true;
  }

  /** Adds a subscriber; a result with errors when its token may hold no more subscriptions. */
  join(
    operation: SharedOperation,
    args: ExecutionArgs,
    subscribe: SubscribeFunction,
  ): GroupMember | ExecutionResult {
    const context = args.contextValue as GatewayContext;
    const seat = new MemberSeat(operation.field, this.hooks.maxQueueBytes, this, args, subscribe);
    const member = (seat.member = new GroupMember(seat));
    try {
      member.onClose(context.services.subscriptions.open(context.principal, member));
    } catch (error) {
      if (this.members.size === 0) this.close();
      return setupError(operation.field, error);
    }
    const signal = context.signal;
    if (signal) {
      signal.addEventListener('abort', seat, { once: true });
      member.onClose(() => signal.removeEventListener('abort', seat));
    }
    this.members.add(member);
    // Joined first, so no result after these positions can pass it by while they are fetched.
    this.livePositions().then(
      (positions) => member.startAt(positions),
      (error: unknown) => member.startFailed(error),
    );
    if (signal?.aborted) member.end();
    return member;
  }

  private async livePositions(): Promise<Positions> {
    const fanout = this.services!.fanout;
    return new Map(
      await Promise.all(this.streams.map(async (s) => [s, await fanout.tailPositions(s)] as const)),
    );
  }

  leave(member: GroupMember, fellBehind: boolean): void {
    if (!this.members.delete(member)) return;
    if (fellBehind) this.hooks.departed();
    if (this.members.size === 0) this.close();
  }

  private async pump(source: AsyncIterator<ExecutionResult>): Promise<void> {
    try {
      for (;;) {
        const step = await source.next();
        if (step.done) break;
        // Once per result: sockets reuse the text (shared-result-json.ts), queues count its size.
        const positions = this.pulled.shift();
        if (positions) recordResultPositions(step.value, positions);
        const shared: SharedResult = {
          step,
          positions,
          bytes: serializedResult(step.value).length,
        };
        this.hooks.executed();
        for (const member of this.members) member.offer(shared);
      }
      this.finish(() => ({ kind: 'done' }));
    } catch (error) {
      this.finish(() => ({ kind: 'thrown', error }));
    }
  }

  private finish(final: () => Final): void {
    this.close();
    for (const member of [...this.members]) member.sourceEnded(final());
    this.members.clear();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hooks.closed(this);
    void this.source?.return?.();
  }
}

/**
 * A member's link to its group, and its listener on the connection's abort signal. Methods
 * rather than closures: it lives as long as the subscription, and under tsx (keepNames) every
 * named closure carries a property table of its own.
 */
class MemberSeat implements MemberHost {
  member: GroupMember | undefined;

  constructor(
    readonly field: RootField,
    readonly maxQueueBytes: number,
    private readonly group: ExecutionGroup,
    private readonly args: ExecutionArgs,
    private readonly subscribe: SubscribeFunction,
  ) {}

  leave(member: GroupMember, fellBehind: boolean): void {
    this.group.leave(member, fellBehind);
  }

  runAlone(
    positions: Positions,
    onSource: Parameters<MemberHost['runAlone']>[1],
  ): Promise<unknown> {
    const context = this.args.contextValue as GatewayContext;
    return Promise.resolve(
      this.subscribe({ ...this.args, contextValue: resumeContext(context, positions, onSource) }),
    );
  }

  /** The connection closed (its abort signal fired): the member ends. */
  handleEvent(): void {
    this.member?.end();
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}
