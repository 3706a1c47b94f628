/**
 * The group mechanics without a network: one execution per event for all members, a slow
 * member leaving and going on alone without loss, a late member starting at the live tail,
 * members ended one by one, and the JSON of a shared result spliced into a message unchanged.
 */
import {
  buildSchema,
  GraphQLError,
  parse,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { describe, expect, test } from 'vitest';
import type { Principal } from '../../src/auth/grants.js';
import { defaultRateLimits } from '../../src/auth/rate-limit.js';
import {
  createSubscriptionTracker,
  type SubscriptionTracker,
} from '../../src/auth/subscription-tracker.js';
import type { GatewayContext } from '../../src/graphql/context.js';
import {
  createSharedExecutions,
  type SharedExecutions,
} from '../../src/graphql/shared-execution.js';
import { describeSharedOperation } from '../../src/graphql/shared-operation.js';
import {
  serializedResult,
  sharedPayloadOf,
  spliceSharedPayload,
} from '../../src/graphql/shared-result-json.js';
import { waitFor } from '../support/wait-for.js';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Subscription { events(streams: [String!]!, from: StartPosition): Int }
  input StartPosition { latest: Boolean earliest: Boolean }
`);
const document = parse('subscription { events(streams: ["s"]) }');
const principal: Principal = {
  tokenId: 't1',
  name: 'reader',
  admin: false,
  tenant: null,
  grants: [{ stream: 's', operations: ['SUBSCRIBE'] }],
  expiresAt: null,
  limits: defaultRateLimits,
};

type Item =
  | { event: number; positions: ReadonlyMap<string, ReadonlyMap<number, number>> }
  | { error: unknown; positions: ReadonlyMap<string, ReadonlyMap<number, number>> };

/** One stream of one partition in memory, with the parts of the fan-out the subscription uses. */
function fakeFanout() {
  const events: number[] = [];
  const sources: { end(error?: unknown): void }[] = [];
  const wakers = new Set<() => void>();
  const at = (offset: number) => new Map([['s', new Map([[0, offset]])]]);
  return {
    events,
    sources,
    publish(...values: number[]) {
      events.push(...values);
      for (const wake of [...wakers]) wake();
    },
    fanout: {
      subscribe({ start }: { start: ReadonlyMap<string, ReadonlyMap<number, number>> }) {
        let next = start.get('s')!.get(0)!;
        let ended = false;
        let error: unknown;
        const iterator = {
          async next(): Promise<IteratorResult<Item>> {
            while (!ended && next >= events.length) await new Promise<void>((r) => wakers.add(r));
            if (error !== undefined) {
              const item = { error, positions: at(next) };
              error = undefined;
              return { value: item, done: false };
            }
            if (ended) return { value: undefined, done: true };
            const offset = next++;
            return { value: { event: events[offset]!, positions: at(offset + 1) }, done: false };
          },
          async return(): Promise<IteratorResult<Item>> {
            ended = true;
            for (const wake of [...wakers]) wake();
            return { value: undefined, done: true };
          },
          end(reason?: unknown) {
            error = reason;
            ended = true;
            for (const wake of [...wakers]) wake();
          },
          [Symbol.asyncIterator]() {
            return this;
          },
        };
        sources.push(iterator);
        return iterator;
      },
      async tailPositions() {
        return new Map([[0, events.length]]);
      },
      stats: () => ({}),
      close: async () => undefined,
    },
  };
}

/**
 * What the gateway's pipeline does for the `events` field, reduced: subscribe from the live
 * tail, count the subscription, and turn each item into a result (`executions` counts those).
 */
function fakeSubscribe(
  counters: { executions: number; subscriptions: number },
  gate?: () => Promise<void>,
) {
  return async (args: ExecutionArgs) => {
    counters.subscriptions++;
    const context = args.contextValue as GatewayContext;
    const start = new Map([['s', await context.services.fanout.tailPositions('s')]]);
    const source = context.services.fanout.subscribe({
      start,
      filter: () => true,
    }) as unknown as AsyncIterableIterator<Item> & { end(e?: unknown): void };
    const release = context.services.subscriptions.open(context.principal, source);
    return {
      async next(): Promise<IteratorResult<ExecutionResult>> {
        const step = await source.next();
        if (step.done) {
          release();
          return step;
        }
        await gate?.();
        counters.executions++;
        if ('error' in step.value)
          return { value: { data: null, errors: [step.value.error as GraphQLError] }, done: false };
        return { value: { data: { events: step.value.event } }, done: false };
      },
      async return() {
        release();
        return source.return!();
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };
}

function setup(options: { maxMemberQueueBytes?: number; gate?: () => Promise<void> } = {}) {
  const log = fakeFanout();
  const tracker: SubscriptionTracker = createSubscriptionTracker();
  const counters = { executions: 0, subscriptions: 0 };
  const executions: SharedExecutions = createSharedExecutions({
    maxMemberQueueBytes: options.maxMemberQueueBytes,
  });
  const subscribe = fakeSubscribe(counters, options.gate);
  const join = async (requestId: string) => {
    const contextValue = {
      principal,
      requestId,
      services: { fanout: log.fanout, subscriptions: tracker },
    };
    const args: ExecutionArgs = { schema, document, contextValue };
    const operation = describeSharedOperation(args, principal)!;
    return (await executions.subscribe(
      operation,
      args,
      subscribe,
    )) as AsyncIterableIterator<ExecutionResult>;
  };
  return { log, tracker, counters, executions, join };
}

const take = async (iterator: AsyncIterator<ExecutionResult>, n: number) => {
  const values: unknown[] = [];
  while (values.length < n) {
    const step = await iterator.next();
    if (step.done) break;
    values.push(step.value.errors ? step.value.errors[0]!.message : step.value.data!['events']);
  }
  return values;
};

describe('shared execution groups', () => {
  test('members share one execution per event', async () => {
    const { log, counters, executions, join } = setup();
    const members = await Promise.all(Array.from({ length: 50 }, (_, i) => join(`r${i}`)));
    await waitFor(() => executions.stats().members === 50);
    log.publish(1, 2, 3);
    for (const member of members) expect(await take(member, 3)).toEqual([1, 2, 3]);
    expect(counters).toEqual({ executions: 3, subscriptions: 1 });
    expect(executions.stats()).toMatchObject({
      groups: 1,
      members: 50,
      executions: 3,
      departures: 0,
    });
    for (const member of members) await member.return!();
    expect(executions.stats()).toMatchObject({ groups: 0, members: 0 });
  });

  test('a slow member leaves its group and goes on alone from where it was, losing nothing', async () => {
    // Room for three results of `{"data":{"events":N}}` (22 bytes or so each).
    const { log, counters, executions, join } = setup({ maxMemberQueueBytes: 70 });
    const fast = await join('fast');
    const slow = await join('slow');
    for (let n = 1; n <= 20; n++) {
      log.publish(n);
      expect(await take(fast, 1)).toEqual([n]);
    }
    expect(executions.stats()).toMatchObject({ members: 1, departures: 1 });
    expect(await take(slow, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // The group's execution and the slow member's own, from its last queued result on.
    expect(counters.subscriptions).toBe(2);
    log.publish(21);
    expect(await take(slow, 1)).toEqual([21]);
    expect(await take(fast, 1)).toEqual([21]);
  });

  test('a member joining a busy group sees nothing from before it started', async () => {
    let open = () => {};
    let gate = Promise.resolve();
    const { log, join } = setup({ gate: () => gate });
    const first = await join('first');
    gate = new Promise((resolve) => (open = resolve));
    log.publish(1);
    // Event 1 is pulled by the group and waits to be executed while `late` starts.
    const late = await join('late');
    open();
    expect(await take(first, 1)).toEqual([1]);
    log.publish(2);
    expect(await take(late, 1)).toEqual([2]);
    expect(await take(first, 1)).toEqual([2]);
  });

  test('ending a member (a revoked token) ends it alone, with the error last', async () => {
    const { log, tracker, executions, join } = setup();
    const kept = await join('kept');
    const other: Principal = { ...principal, tokenId: 't2' };
    // Same scope, another token: same group, but revoked on its own.
    const contextValue = {
      principal: other,
      requestId: 'x',
      services: { fanout: log.fanout, subscriptions: tracker },
    };
    const args: ExecutionArgs = { schema, document, contextValue };
    const counters = { executions: 0, subscriptions: 0 };
    const revoked = (await executions.subscribe(
      describeSharedOperation(args, other)!,
      args,
      fakeSubscribe(counters),
    )) as AsyncIterableIterator<ExecutionResult>;
    await waitFor(() => executions.stats().members === 2);
    log.publish(1);
    expect(await take(revoked, 1)).toEqual([1]);
    tracker.endAll(
      't2',
      new GraphQLError('the token was revoked', { extensions: { code: 'UNAUTHENTICATED' } }),
    );
    const last = await revoked.next();
    expect(last.value).toMatchObject({
      data: null,
      errors: [{ message: 'the token was revoked', path: ['events'] }],
    });
    expect((last.value as ExecutionResult).errors![0]!.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await revoked.next()).toEqual({ value: undefined, done: true });
    log.publish(2);
    expect(await take(kept, 2)).toEqual([1, 2]);
    expect(executions.stats().members).toBe(1);
  });

  test('the group ends every member the way its execution ends', async () => {
    const { log, join } = setup();
    const members = [await join('a'), await join('b')];
    log.publish(1);
    for (const member of members) expect(await take(member, 1)).toEqual([1]);
    // The fan-out ends the group's one subscription with an error (say, its tail reader failed).
    log.sources[0]!.end(new GraphQLError('the tail reader failed'));
    for (const member of members) {
      expect(await take(member, 2)).toEqual(['the tail reader failed']);
      expect(await member.next()).toEqual({ value: undefined, done: true });
    }
  });
});

describe('serialize once', () => {
  const message = (id: string, payload: unknown) => JSON.stringify({ id, type: 'next', payload });

  test('a shared result goes out as its one JSON text, in the message graphql-ws would send', () => {
    const result: ExecutionResult = {
      data: { events: { id: 'e1', payload: { text: 'quote " and \\ slash', n: [1, 2] } } },
    };
    serializedResult(result);
    for (const id of ['1', 'x"y', 'payload']) {
      const sent = spliceSharedPayload(message(id, sharedPayloadOf(result)));
      expect(sent).toBe(message(id, result));
      expect(JSON.parse(sent)).toEqual({ id, type: 'next', payload: result });
    }
  });

  test('results not shared, or with errors, are left to graphql-ws', () => {
    expect(sharedPayloadOf({ data: { events: 1 } })).toBeUndefined();
    const failed: ExecutionResult = { data: null, errors: [new GraphQLError('no')] };
    serializedResult(failed);
    expect(sharedPayloadOf(failed)).toBeUndefined();
    const plain = message('1', { data: { events: 1 } });
    expect(spliceSharedPayload(plain)).toBe(plain);
  });
});
