/**
 * Execute once per group, on a real fan-out over the embedded log: members in step with the
 * live tail share one execution per event; a member reading by itself (a start in the past, a
 * consumer too slow for the live pace) executes its own results and loses nothing; and the JSON
 * of a shared result goes into each message unchanged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildSchema,
  GraphQLError,
  parse,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultRateLimits } from '../../src/auth/rate-limit.js';
import type { Principal } from '../../src/auth/grants.js';
import type { SubscriptionItem } from '../../src/fanout/delivery.js';
import { createFanout, type Fanout } from '../../src/fanout/fanout.js';
import { createSharedExecutions } from '../../src/graphql/shared-execution.js';
import { describeSharedOperation } from '../../src/graphql/shared-operation.js';
import {
  markShared,
  serializedResult,
  sharedPayloadOf,
  spliceSharedPayload,
} from '../../src/graphql/shared-result-json.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import type { EventLog } from '../../src/log/event-log.js';
import { waitFor } from '../support/wait-for.js';

const principal: Principal = {
  tokenId: 't1',
  name: 'reader',
  admin: false,
  tenant: null,
  grants: [{ stream: 's', operations: ['SUBSCRIBE'] }],
  expiresAt: null,
  limits: defaultRateLimits,
};

/**
 * `events` reduced to what the gateway's does with the fan-out: subscribe from the live tail (or
 * the earliest offset), and turn each item into the record's text (counted in `executed`).
 */
function eventsSchema(fanout: Fanout<string>, stream: string, counters: { executed: number }) {
  const schema = buildSchema(`
    type Query { ok: Boolean }
    type Subscription { events(streams: [String!]!, earliest: Boolean): String }
  `);
  const field = schema.getSubscriptionType()!.getFields()['events']!;
  field.subscribe = async (_root: unknown, args: { earliest?: boolean }) => {
    const positions = args.earliest
      ? new Map([[0, 0]])
      : new Map(await fanout.tailPositions(stream));
    return fanout.subscribe({ start: new Map([[stream, positions]]), filter: () => true });
  };
  field.resolve = (item: unknown) => {
    counters.executed++;
    const value = item as SubscriptionItem<string>;
    if ('error' in value) throw value.error;
    return value.event;
  };
  return schema;
}

describe('execute once per group, on the fan-out', () => {
  let dataDir: string;
  let log: EventLog;
  let fanout: Fanout<string>;
  const stream = 's';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'streamgate-shared-group-'));
    log = createEmbeddedLog({ dataDir, fsync: 'never' });
    await log.connect();
    await log.createTopic({ name: stream, partitions: 1 });
    // A small queue bound, so that a stalled consumer falls behind the tail soon.
    fanout = createFanout<string>({
      log,
      decode: (_stream, record) => record.value?.toString('utf8') ?? '',
      maxQueueBytes: 4096,
    });
  });
  afterAll(async () => {
    await fanout?.close();
    await log?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const publish = async (...values: string[]) => {
    await log.append(
      stream,
      values.map((value) => ({ key: null, value: Buffer.from(value), partition: 0 })),
    );
  };

  function setup() {
    const counters = { executed: 0 };
    const schema = eventsSchema(fanout, stream, counters);
    const executions = createSharedExecutions();
    const join = async (query = 'subscription { events(streams: ["s"]) }') => {
      const args: ExecutionArgs = { schema, document: parse(query), contextValue: {} };
      const operation = describeSharedOperation(args, principal)!;
      return (await executions.subscribe(
        operation,
        args,
      )) as AsyncIterableIterator<ExecutionResult>;
    };
    return { counters, executions, join };
  }

  const take = async (member: AsyncIterator<ExecutionResult>, count: number) => {
    const values: unknown[] = [];
    while (values.length < count) {
      const step = await member.next();
      if (step.done) break;
      values.push(step.value.errors ? step.value.errors[0]!.message : step.value.data!['events']);
    }
    return values;
  };

  test('members in step with the tail share one execution per event', async () => {
    const { counters, executions, join } = setup();
    const members = await Promise.all(Array.from({ length: 50 }, () => join()));
    // Another operation is another group, executed once per event for itself.
    const other = await join('subscription Other { events(streams: ["s"]) }');
    expect(executions.stats()).toMatchObject({ groups: 2, members: 51 });
    await publish('a', 'b', 'c');
    for (const member of members) {
      expect(await take(member, 3)).toEqual(['a', 'b', 'c']);
    }
    expect(await take(other, 3)).toEqual(['a', 'b', 'c']);
    expect(counters.executed).toBe(2 * 3);
    expect(executions.stats()).toMatchObject({ executions: 2 * 3 });
    for (const member of [...members, other]) await member.return!();
    expect(executions.stats()).toMatchObject({ groups: 0, members: 0 });
  });

  test('the members of a group get the same result object, marked for its JSON to be made once', async () => {
    const { join } = setup();
    const [a, b] = [await join(), await join()];
    await publish('same');
    const [ra, rb] = [(await a.next()).value, (await b.next()).value];
    expect(ra).toBe(rb);
    expect(sharedPayloadOf(ra)).toBeDefined();
    await a.return!();
    await b.return!();
  });

  test('a member behind the tail executes its own results, in order, and loses nothing', async () => {
    const { counters, join } = setup();
    const fast = await join();
    const slow = await join();
    const values = Array.from({ length: 200 }, (_, i) => `v${i}-${'x'.repeat(64)}`);
    // The slow member pulls nothing while 200 events (far over its 4 KiB queue) go by.
    for (let i = 0; i < values.length; i += 20) {
      await publish(...values.slice(i, i + 20));
      expect(await take(fast, 20)).toEqual(values.slice(i, i + 20));
    }
    expect(await take(slow, 200)).toEqual(values);
    // The fast member's 200 were executed once for both; what the slow one read by itself, again.
    expect(counters.executed).toBeGreaterThan(200);
    // Back at the tail, both share again.
    await waitFor(() => fanout.stats().catchingUp === 0, { what: 'the slow member to rejoin' });
    const before = counters.executed;
    await publish('last');
    expect(await take(slow, 1)).toEqual(['last']);
    expect(await take(fast, 1)).toEqual(['last']);
    expect(counters.executed - before).toBe(1);
    await fast.return!();
    await slow.return!();
  });

  test('a member starting in the past executes its own history, then shares at the tail', async () => {
    const { counters, join } = setup();
    const live = await join('subscription { events(streams: ["s"]) }');
    const replay = await join('subscription { events(streams: ["s"], earliest: true) }');
    const history = (await log.offsets(stream))[0]!.high;
    expect(await take(replay, history)).toHaveLength(history);
    await publish('now');
    expect(await take(replay, 1)).toEqual(['now']);
    expect(await take(live, 1)).toEqual(['now']);
    // Other documents: two groups, each executing its own.
    expect(counters.executed).toBe(history + 2);
    await live.return!();
    await replay.return!();
  });

  test('an operation that does not validate as a subscription gives its errors, and no member', async () => {
    const { executions, join } = setup();
    const result = (await join(
      'subscription { events(streams: 1) }',
    )) as unknown as ExecutionResult;
    expect(result.errors?.[0]).toBeInstanceOf(GraphQLError);
    expect(executions.stats()).toMatchObject({ groups: 0, members: 0 });
  });
});

describe('serialize once', () => {
  const message = (id: string, payload: unknown) => JSON.stringify({ id, type: 'next', payload });

  test('a shared result goes out as its one JSON text, wherever the message has its payload', () => {
    const result: ExecutionResult = markShared({
      data: { events: { id: 'e1', payload: { text: 'quote " and \\ slash $& $1', n: [1, 2] } } },
    });
    for (const id of ['1', 'x"y', 'payload']) {
      const sent = spliceSharedPayload(message(id, sharedPayloadOf(result)));
      expect(sent).toBe(message(id, result));
      expect(JSON.parse(sent)).toEqual({ id, type: 'next', payload: result });
    }
    // Another order of keys: the payload first.
    const first = JSON.stringify({ payload: sharedPayloadOf(result), id: '7', type: 'next' });
    expect(JSON.parse(spliceSharedPayload(first))).toEqual({
      id: '7',
      type: 'next',
      payload: result,
    });
    expect(serializedResult(result)).toBe(JSON.stringify(result));
  });

  test('results not shared, or with errors, are left to graphql-ws', () => {
    expect(sharedPayloadOf({ data: { events: 1 } })).toBeUndefined();
    const failed: ExecutionResult = markShared({ data: null, errors: [new GraphQLError('no')] });
    expect(sharedPayloadOf(failed)).toBeUndefined();
    const plain = message('1', { data: { events: 1 } });
    expect(spliceSharedPayload(plain)).toBe(plain);
  });
});
