/**
 * Consumer groups end to end (shared/API.md, "Consumer groups"): gateways run as processes, on
 * the embedded log and on the run's Kafka broker; members are graphql-ws clients that
 * acknowledge over their own connection. Each test has a stream and a group of its own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import {
  graphqlOk,
  LOG_MODES,
  publishBatch,
  subscribeEvents,
  type PublishResult,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { withKafkaAdmin } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';

const MAX_DELIVERIES = 3;
const WAIT = { timeoutMs: 60_000 };

interface Consumed {
  readonly id: string;
  readonly partition: number;
  readonly offset: number;
  readonly resourceId: string;
  readonly cursor: string;
  readonly payload: { seq: number; poison?: boolean };
}

/** One `consume` member on its own WebSocket; acknowledgements go over the same connection. */
interface Member {
  readonly received: Consumed[];
  readonly acked: Consumed[];
  readonly errors: unknown[];
  ack(event: Consumed): Promise<boolean>;
  leave(): Promise<void>;
}

function joinGroup(
  gateway: GatewayProcess,
  args: { group: string; streams: string[]; from?: object; maxUnacked?: number },
  behaviour: { autoAck?: boolean; onEvent?: (event: Consumed, member: Member) => void } = {},
): Member {
  const client: Client = createClient({
    url: gateway.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
    retryAttempts: 0,
  });
  const member: Member = {
    received: [],
    acked: [],
    errors: [],
    async ack(event) {
      const result = await new Promise<boolean>((resolve, reject) => {
        let answer: boolean | undefined;
        client.subscribe<{ ack: boolean }>(
          {
            query:
              'mutation($group: String!, $cursor: String!) { ack(group: $group, cursor: $cursor) }',
            variables: { group: args.group, cursor: event.cursor },
          },
          {
            next: (result) => {
              if (result.errors) reject(new Error(JSON.stringify(result.errors)));
              answer = result.data?.ack;
            },
            error: reject,
            complete: () => resolve(answer ?? false),
          },
        );
      });
      if (result) member.acked.push(event);
      return result;
    },
    async leave() {
      unsubscribe();
      await client.dispose();
    },
  };
  const unsubscribe = client.subscribe<{ consume: Consumed }>(
    {
      query:
        'subscription($group: String!, $streams: [String!]!, $from: StartPosition, $maxUnacked: Int) { consume(group: $group, streams: $streams, from: $from, maxUnacked: $maxUnacked) { id partition offset resourceId cursor payload } }',
      variables: args,
    },
    {
      next: (result) => {
        if (result.errors) member.errors.push(...result.errors);
        const raw = result.data?.consume;
        if (!raw) return;
        const event = { ...raw, offset: Number(raw.offset) };
        member.received.push(event);
        if (behaviour.autoAck) void member.ack(event).catch((error) => member.errors.push(error));
        behaviour.onEvent?.(event, member);
      },
      error: (error) => member.errors.push(error),
      complete: () => undefined,
    },
  );
  return member;
}

/** The group's partitions held by each gateway, from /metrics. */
async function heldPartitions(gateway: GatewayProcess, group: string): Promise<number> {
  const text = await (
    await fetch(`${gateway.url}/metrics`, {
      headers: { authorization: `Bearer ${gateway.adminToken}` },
    })
  ).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('streamgate_group_partitions{') && l.includes(`.${group}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function consumerGroup(gateway: GatewayProcess, name: string) {
  const data = await graphqlOk<{ consumerGroup: any }>(
    gateway,
    'query($name: String!) { consumerGroup(name: $name) { name streams members lag { stream partition committedOffset endOffset lag } } }',
    { name },
  );
  return data.consumerGroup;
}

async function freshStream(gateway: GatewayProcess, partitions: number): Promise<string> {
  const name = `jobs${randomBytes(4)
    .toString('hex')
    .replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;
  await graphqlOk(
    gateway,
    'mutation($input: CreateStreamInput!) { createStream(input: $input) { name } }',
    {
      input: { name, partitions },
    },
  );
  await graphqlOk(
    gateway,
    'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type } }',
    { input: { type: `${name}.queued`, stream: name, schema: { type: 'object' } } },
  );
  return name;
}

async function publishJobs(
  gateway: GatewayProcess,
  stream: string,
  count: number,
  first = 0,
  extra: (seq: number) => object = () => ({}),
): Promise<PublishResult[]> {
  const results: PublishResult[] = [];
  for (let start = first; start < first + count; start += 200) {
    const size = Math.min(200, first + count - start);
    results.push(
      ...(await publishBatch(
        gateway,
        Array.from({ length: size }, (_, i) => ({
          type: `${stream}.queued`,
          resourceId: `job-${(start + i) % 97}`,
          data: { seq: start + i, ...extra(start + i) },
        })),
      )),
    );
  }
  return results;
}

const groupName = () => `workers-${randomBytes(4).toString('hex')}`;
const keyOf = (e: { partition: number; offset: number | string }) => `${e.partition}/${e.offset}`;

describe.each(LOG_MODES)('consumer groups on the $name log', (mode) => {
  let a: GatewayProcess;
  /** A second instance on Kafka; the embedded log is single-node, so there it is `a` again. */
  let b: GatewayProcess;

  beforeAll(async () => {
    const env = { GATEWAY_GROUP_MAX_DELIVERIES: String(MAX_DELIVERIES) };
    a = await startGatewayProcess({ brokers: mode.brokers(), env });
    b =
      mode.name === 'kafka'
        ? await startGatewayProcess({
            brokers: mode.brokers(),
            env,
            topicPrefix: a.topicPrefix,
            adminToken: a.adminToken,
          })
        : a;
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    if (b !== a) await b?.stop();
  });

  test(
    '3 members on 2 instances, 600 events over 6 partitions: each to exactly one member, in partition order; lag 0 after the acks',
    { timeout: 180_000 },
    async () => {
      const stream = await freshStream(a, 6);
      const group = groupName();
      const args = { group, streams: [stream], from: { earliest: true } };
      const members = [
        joinGroup(a, args, { autoAck: true }),
        joinGroup(a, args, { autoAck: true }),
        joinGroup(b, args, { autoAck: true }),
      ];
      // Publish once the log has settled its partitions over the instances.
      await waitFor(
        async () => {
          const [onA, onB] = await Promise.all([
            heldPartitions(a, group),
            heldPartitions(b, group),
          ]);
          return b === a ? onA === 6 : onA + onB === 6 && onA > 0 && onB > 0;
        },
        { ...WAIT, what: 'the six partitions held by the instances' },
      );
      const published = await publishJobs(a, stream, 600);
      await waitFor(
        () =>
          members.every((m) => m.acked.length) &&
          members.reduce((n, m) => n + m.acked.length, 0) >= 600,
        {
          ...WAIT,
          what: 'all 600 events acknowledged',
        },
      );
      const received = members.flatMap((m) => m.received);
      expect(received).toHaveLength(600);
      expect(new Set(received.map(keyOf))).toEqual(new Set(published.map(keyOf)));
      expect(members.every((m) => m.received.length > 0)).toBe(true);
      for (const member of members) {
        for (let p = 0; p < 6; p++) {
          const offsets = member.received.filter((e) => e.partition === p).map((e) => e.offset);
          expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
        }
      }
      for (const member of members) expect(member.errors).toEqual([]);

      const described = await waitFor(
        async () => {
          const found = await consumerGroup(a, group);
          return found?.lag.every((l: any) => l.lag === '0') ? found : undefined;
        },
        { ...WAIT, what: 'lag 0 in consumerGroup' },
      );
      expect(described.streams).toEqual([stream]);
      expect(described.lag).toHaveLength(6);
      if (mode.name === 'kafka') {
        await withKafkaAdmin(async (admin) => {
          const ends = await admin.fetchTopicOffsets(a.topicPrefix + stream);
          const [committed] = await admin.fetchOffsets({
            groupId: `${a.topicPrefix}streamgate._.${group}`,
            topics: [a.topicPrefix + stream],
          });
          for (const end of ends) {
            expect(committed!.partitions.find((p) => p.partition === end.partition)?.offset).toBe(
              end.high,
            );
          }
        });
      }
      await Promise.all(members.map((m) => m.leave()));
    },
  );

  test(
    'a member that leaves with unacknowledged events: each reaches another member, none is lost',
    { timeout: 120_000 },
    async () => {
      const stream = await freshStream(a, 4);
      const group = groupName();
      const args = { group, streams: [stream], from: { earliest: true } };
      const idle = joinGroup(a, { ...args, maxUnacked: 5 });
      const worker = joinGroup(b, args, { autoAck: true });
      await waitFor(
        async () =>
          b === a
            ? (await heldPartitions(a, group)) === 4
            : (await heldPartitions(b, group)) > 0 && (await heldPartitions(a, group)) > 0,
        { ...WAIT, what: 'the partitions held' },
      );
      const published = await publishJobs(a, stream, 80);
      await waitFor(() => idle.received.length === 5, {
        ...WAIT,
        what: 'five events held unacknowledged',
      });
      const held = [...idle.received];
      await idle.leave();
      await waitFor(() => new Set(worker.acked.map(keyOf)).size === 80, {
        ...WAIT,
        what: 'every event acknowledged by the worker',
      });
      const workerKeys = new Set(worker.received.map(keyOf));
      for (const event of held) expect(workerKeys.has(keyOf(event))).toBe(true);
      expect(workerKeys).toEqual(new Set(published.map(keyOf)));
      await worker.leave();
    },
  );

  test(
    'a new member of an existing group starts at the committed position, not at from',
    { timeout: 120_000 },
    async () => {
      const stream = await freshStream(a, 2);
      const group = groupName();
      const first = joinGroup(
        a,
        { group, streams: [stream], from: { earliest: true } },
        { autoAck: true },
      );
      await waitFor(async () => (await heldPartitions(a, group)) === 2, {
        ...WAIT,
        what: 'both partitions',
      });
      await publishJobs(a, stream, 20);
      await waitFor(() => first.acked.length === 20, {
        ...WAIT,
        what: 'the first 20 acknowledged',
      });
      await first.leave();
      await waitFor(async () => (await heldPartitions(a, group)) === 0, {
        ...WAIT,
        what: 'the group left',
      });
      // Published while the group has no member: the next member gets these, not only newer ones.
      const missed = await publishJobs(a, stream, 10, 20);
      const second = joinGroup(
        b,
        { group, streams: [stream], from: { latest: true } },
        { autoAck: true },
      );
      await waitFor(() => second.acked.length >= 10, {
        ...WAIT,
        what: 'the ten published in between',
      });
      expect(new Set(second.received.map(keyOf))).toEqual(new Set(missed.map(keyOf)));
      await second.leave();
    },
  );

  test(
    `a poison event goes to <stream>.dead-letter after ${MAX_DELIVERIES} deliveries; the others flow on`,
    { timeout: 180_000 },
    async () => {
      const stream = await freshStream(a, 1);
      const group = groupName();
      const args = { group, streams: [stream], from: { earliest: true }, maxUnacked: 1 };
      let poisonDeliveries = 0;
      const good: Consumed[] = [];
      const members: Member[] = [];
      // A worker that crashes on the poison event: it leaves without acknowledging, and a new one joins.
      const start = () => {
        members.push(
          joinGroup(a, args, {
            onEvent: (event, member) => {
              if (event.payload.poison) {
                poisonDeliveries++;
                void member.leave().then(start);
              } else {
                good.push(event);
                void member.ack(event);
              }
            },
          }),
        );
      };
      start();
      await publishJobs(a, stream, 1, 0, () => ({ poison: true }));
      await publishJobs(a, stream, 5, 1);
      await waitFor(() => new Set(good.map((e) => e.payload.seq)).size === 5, {
        ...WAIT,
        what: 'the five good events after the poison',
      });
      expect(poisonDeliveries).toBe(MAX_DELIVERIES);
      const dead = subscribeEvents(a, 'graphql-ws', {
        streams: [`${stream}.dead-letter`],
        from: { earliest: true },
      });
      await waitFor(() => dead.events.length === 1, { ...WAIT, what: 'the dead letter' });
      expect(dead.events[0]).toMatchObject({
        type: `${stream}.queued`,
        payload: { seq: 0, poison: true },
      });
      dead.close();
      await Promise.all(members.map((m) => m.leave().catch(() => undefined)));
    },
  );

  test('consumerGroups lists the group; a tenant token does not see it', async () => {
    const stream = await freshStream(a, 1);
    const group = groupName();
    const member = joinGroup(a, { group, streams: [stream] });
    await waitFor(async () => (await heldPartitions(a, group)) === 1, {
      ...WAIT,
      what: 'the partition',
    });
    const listed = await graphqlOk<{ consumerGroups: { name: string; members: number }[] }>(
      a,
      '{ consumerGroups { name members } }',
    );
    expect(listed.consumerGroups).toContainEqual({ name: group, members: 1 });
    const tenant = await graphqlOk<{ issueToken: { token: string } }>(
      a,
      'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
      {
        input: {
          name: `tenant-${randomUUID()}`,
          tenant: 'acme',
          grants: [{ stream, operations: ['SUBSCRIBE'] }],
        },
      },
    );
    const seen = await graphqlOk<{ consumerGroup: unknown }>(
      a,
      'query($name: String!) { consumerGroup(name: $name) { name } }',
      { name: group },
      tenant.issueToken.token,
    );
    expect(seen.consumerGroup).toBeNull();
    await member.leave();
  });
  test(
    'an instance SIGKILLed with a member holding unacknowledged events: each reaches another member',
    { timeout: 180_000 },
    async () => {
      // Kafka: a third instance dies and the group's other instance takes over its partitions.
      // Embedded (single node): the instance dies and a new one starts on the same data directory.
      const doomed = await startGatewayProcess({
        brokers: mode.brokers(),
        topicPrefix: a.topicPrefix,
        adminToken: a.adminToken,
      });
      const stream = await freshStream(doomed, 4);
      const group = groupName();
      const args = { group, streams: [stream], from: { earliest: true } };
      const idle = joinGroup(doomed, { ...args, maxUnacked: 5 });
      await waitFor(async () => (await heldPartitions(doomed, group)) > 0, {
        ...WAIT,
        what: 'partitions on the doomed instance',
      });
      let survivor = a;
      let worker: Member | undefined;
      if (mode.name === 'kafka') {
        worker = joinGroup(a, args, { autoAck: true });
        await waitFor(
          async () =>
            (await heldPartitions(a, group)) + (await heldPartitions(doomed, group)) === 4 &&
            (await heldPartitions(a, group)) > 0,
          { ...WAIT, what: 'the partitions spread over both instances' },
        );
      }
      const published = await publishJobs(doomed, stream, 60);
      await waitFor(() => idle.received.length === 5, {
        ...WAIT,
        what: 'five events held unacknowledged',
      });
      const held = [...idle.received];
      doomed.child.kill('SIGKILL');
      await new Promise((resolve) => doomed.child.once('exit', resolve));
      void idle.leave().catch(() => undefined);
      if (mode.name === 'embedded') {
        survivor = await startGatewayProcess({
          dataDir: doomed.dataDir,
          adminToken: doomed.adminToken,
        });
        worker = joinGroup(survivor, args, { autoAck: true });
      }
      await waitFor(() => new Set(worker!.acked.map(keyOf)).size >= 60, {
        ...WAIT,
        what: 'every event acknowledged by the surviving member',
      });
      const keys = new Set(worker!.received.map(keyOf));
      for (const event of held) expect(keys.has(keyOf(event))).toBe(true);
      expect(keys).toEqual(new Set(published.map(keyOf)));
      await worker!.leave();
      if (survivor !== a) await survivor.stop();
    },
  );
});
