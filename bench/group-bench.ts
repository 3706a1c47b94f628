/**
 * Consumer groups: events/s through one group with 1, 3 and 10 members (each acknowledging
 * every event over its own WebSocket), ack round trip p50/p99, and the pause in deliveries when
 * a member joins, leaves, vanishes (socket destroyed) or its gateway instance is killed, while
 * events are published at a steady rate. Prints figures; asserts nothing.
 * `npx tsx bench/group-bench.ts` (embedded log), with KAFKA_BROKERS set: on Kafka, where the
 * member that joins and leaves is on a second gateway instance (a Kafka rebalance), and then on
 * the first one. `npm run bench` runs it too (`groups` in its report).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { startGatewayProcess, type GatewayProcess } from '../test/support/gateway-process.js';
import { percentiles, type Percentiles } from './figures.js';
import { startMember, type BenchMember, type Delivery } from './group-member.js';

export interface GroupBenchOptions {
  /** Events through the group per member count. */
  readonly events: number;
  readonly memberCounts: readonly number[];
  readonly partitions: number;
  /** Events published per second while members come and go. */
  readonly ratePerSecond: number;
  /** How long each change is watched (and the steady window before it). */
  readonly windowMs: number;
  /** How long a killed instance is watched: Kafka notices it after the session timeout. */
  readonly killWindowMs: number;
}

export interface GroupThroughput {
  readonly members: number;
  /** Join included. */
  readonly eventsPerSecond: number;
  /** From subscribing to the first event of a new group (the group's first join). */
  readonly firstEventMs: number;
  readonly ackMs: Percentiles;
}

export interface PauseFigures {
  readonly change: 'join' | 'leave' | 'vanish' | 'instance killed';
  /** Where the member that changed was connected: the instance the others are on, or another. */
  readonly instance: 'same' | 'other';
  /** Longest gap between two deliveries to the group, across the change. */
  readonly pauseMs: number;
  /**
   * Longest gap between two deliveries of one partition, across the change: how long the
   * partitions that moved (or were held up) waited until they delivered again.
   */
  readonly partitionPauseMs: number;
  /** The same two gaps before the change, over the last half of the window before it. */
  readonly steadyPauseMs: number;
  readonly steadyPartitionPauseMs: number;
  /** A join only: from the join until the new member's first event; null: not in the window. */
  readonly joinedFirstEventMs?: number | null;
}

export interface GroupFigures {
  readonly partitions: number;
  readonly throughput: GroupThroughput[];
  readonly rebalance: { ratePerSecond: number; windowMs: number; changes: PauseFigures[] };
}

export const groupBenchDefaults = (quick: boolean): GroupBenchOptions => ({
  events: Number(process.env['BENCH_GROUP_EVENTS'] ?? (quick ? 60 : 3000)),
  memberCounts: quick ? [1, 3] : [1, 3, 10],
  partitions: quick ? 4 : 12,
  ratePerSecond: quick ? 50 : 200,
  windowMs: quick ? 1500 : 8000,
  killWindowMs: 20_000,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ok(gateway: GatewayProcess, query: string, variables?: Record<string, unknown>) {
  const body = await gateway.graphql(query, variables);
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function createStream(gateway: GatewayProcess, partitions: number): Promise<string> {
  const stream = `benchgrp${randomBytes(3)
    .toString('hex')
    .replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
  await ok(gateway, 'mutation($i: CreateStreamInput!) { createStream(input: $i) { name } }', {
    i: { name: stream, partitions },
  });
  await ok(
    gateway,
    'mutation($i: RegisterEventTypeInput!) { registerEventType(input: $i) { type } }',
    {
      i: { type: `${stream}.tick`, stream, schema: { type: 'object' } },
    },
  );
  return stream;
}

function publishBatch(gateway: GatewayProcess, stream: string, count: number, from: number) {
  return ok(gateway, 'mutation($e: [PublishJsonInput!]!) { publishBatch(events: $e) { id } }', {
    e: Array.from({ length: count }, (_, i) => ({
      type: `${stream}.tick`,
      resourceId: randomUUID(),
      data: { n: from + i },
    })),
  });
}

async function waitUntil(what: string, holds: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!holds()) {
    if (performance.now() > until) throw new Error(`group bench: timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function measureThroughput(
  gateway: GatewayProcess,
  options: GroupBenchOptions,
): Promise<GroupThroughput[]> {
  const stream = await createStream(gateway, options.partitions);
  for (let done = 0; done < options.events; done += 500)
    await publishBatch(gateway, stream, Math.min(500, options.events - done), done);
  const figures: GroupThroughput[] = [];
  for (const count of options.memberCounts) {
    const group = `bench-${count}-${randomBytes(3).toString('hex')}`;
    const ackMs: number[] = [];
    const deliveries: Delivery[] = [];
    const started = performance.now();
    const members = Array.from({ length: count }, () =>
      startMember(gateway, group, stream, { ackMs, deliveries }),
    );
    await waitUntil(`${options.events} acks`, () => ackMs.length >= options.events, 180_000);
    const seconds = (performance.now() - started) / 1000;
    figures.push({
      members: count,
      eventsPerSecond: Math.round(options.events / seconds),
      firstEventMs: Math.round(Math.min(...deliveries.map((d) => d.at)) - started),
      ackMs: percentiles(ackMs),
    });
    await Promise.all(members.map((member) => member.close()));
  }
  return figures;
}

/** Longest gap between consecutive times in [from, to], counting the edges as deliveries. */
function longestGap(times: readonly number[], from: number, to: number): number {
  let last = times.filter((t) => t < from).at(-1) ?? from;
  let longest = 0;
  for (const t of times) {
    if (t < from || t > to) continue;
    longest = Math.max(longest, t - last);
    last = t;
  }
  return Math.max(longest, to - last);
}

function pauses(
  deliveries: readonly Delivery[],
  partitions: number,
  at: number,
  windowMs: number,
  change: PauseFigures['change'],
  instance: PauseFigures['instance'],
  steadyMs: number,
): PauseFigures {
  const end = at + windowMs;
  const all = deliveries.map((d) => d.at);
  const byPartition = Array.from({ length: partitions }, (_, p) =>
    deliveries.filter((d) => d.partition === p).map((d) => d.at),
  );
  const partitionGap = (from: number, to: number) =>
    Math.max(...byPartition.map((times) => longestGap(times, from, to)));
  return {
    change,
    instance,
    pauseMs: Math.round(longestGap(all, at, end)),
    partitionPauseMs: Math.round(partitionGap(at, end)),
    steadyPauseMs: Math.round(longestGap(all, at - steadyMs, at)),
    steadyPartitionPauseMs: Math.round(partitionGap(at - steadyMs, at)),
  };
}

/**
 * Two members consume and acknowledge on `gateway` while events are published at a steady
 * rate; then a member joins, leaves, joins and vanishes, each on `other` when given (another
 * instance: on Kafka a rebalance of the consumer group) or on `gateway`; with `other`, last, a
 * member's instance is killed (SIGKILL). Each change is watched for `windowMs`.
 */
async function measureRebalance(
  gateway: GatewayProcess,
  other: GatewayProcess | undefined,
  options: GroupBenchOptions,
  log: (line: string) => void,
): Promise<PauseFigures[]> {
  const { partitions, windowMs } = options;
  const stream = await createStream(gateway, partitions);
  // The other instance learns of the stream from the registry topic.
  if (other) {
    const known = async () =>
      ((await other.graphql('{ streams { name } }')).data?.streams ?? []).some(
        (s: { name: string }) => s.name === stream,
      );
    while (!(await known())) await sleep(100);
  }
  const group = `rebalance-${randomBytes(3).toString('hex')}`;
  const deliveries: Delivery[] = [];
  const members: BenchMember[] = [];
  const join = (on: GatewayProcess) => {
    const member = startMember(on, group, stream, { deliveries });
    members.push(member);
    return member;
  };
  let publishing = true;
  let published = 0;
  const perTick = Math.max(1, Math.round(options.ratePerSecond / 10));
  const publisher = (async () => {
    for (let next = performance.now(); publishing;) {
      await publishBatch(gateway, stream, perTick, published);
      published += perTick;
      next += 100;
      await sleep(Math.max(0, next - performance.now()));
    }
  })();
  const changes: PauseFigures[] = [];
  const watch = async (
    change: PauseFigures['change'],
    instance: PauseFigures['instance'],
    act: () => BenchMember | void,
    ms = windowMs,
  ) => {
    const at = performance.now();
    const joined = act();
    await sleep(ms);
    const first = joined?.firstAt();
    const figures = {
      ...pauses(deliveries, partitions, at, ms, change, instance, windowMs / 2),
      ...(joined
        ? { joinedFirstEventMs: first === undefined ? null : Math.round(first - at) }
        : {}),
    };
    log(`  ${change} (${instance} instance): ${JSON.stringify(figures)}`);
    changes.push(figures);
  };
  try {
    join(gateway);
    join(gateway);
    const seen = new Set<number>();
    await waitUntil('every partition to deliver', () => {
      for (const d of deliveries) seen.add(d.partition);
      return seen.size === partitions;
    });
    await sleep(windowMs);
    const where = other ? 'other' : 'same';
    const target = other ?? gateway;
    let joined!: BenchMember;
    await watch('join', where, () => (joined = join(target)));
    await watch('leave', where, () => void joined.close());
    await watch('join', where, () => (joined = join(target)));
    await watch('vanish', where, () => void joined.vanish());
    if (other) {
      await watch('join', 'other', () => join(other));
      await watch(
        'instance killed',
        'other',
        () => void other.child.kill('SIGKILL'),
        options.killWindowMs,
      );
    }
  } finally {
    publishing = false;
    await publisher;
    await Promise.all(members.map((member) => member.close().catch(() => undefined)));
  }
  return changes;
}

/** Throughput on `gateway`; pauses with members on a second instance when `startOther` is given. */
export async function measureGroups(
  gateway: GatewayProcess,
  options: GroupBenchOptions,
  log: (line: string) => void,
  startOther?: () => Promise<GatewayProcess>,
): Promise<GroupFigures> {
  log(
    `consumer groups: ${options.events} events through ${options.memberCounts.join(', ')} members`,
  );
  const throughput = await measureThroughput(gateway, options);
  for (const t of throughput)
    log(
      `  ${t.members} member(s): ${t.eventsPerSecond} events/s, first event ${t.firstEventMs} ms, ack p50 ${t.ackMs.p50} p99 ${t.ackMs.p99} ms`,
    );
  log(`consumer groups: rebalance pauses at ${options.ratePerSecond} events/s`);
  const changes = await measureRebalance(gateway, undefined, options, log);
  if (startOther) {
    const other = await startOther();
    try {
      changes.push(...(await measureRebalance(gateway, other, options, log)));
    } finally {
      await other.stop().catch(() => undefined);
    }
  }
  return {
    partitions: options.partitions,
    throughput,
    rebalance: { ratePerSecond: options.ratePerSecond, windowMs: options.windowMs, changes },
  };
}

async function main() {
  const brokers = process.env['KAFKA_BROKERS']?.split(',');
  const gateway = await startGatewayProcess({ brokers, env: { LOG_LEVEL: 'warn' } });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    log(`log: ${brokers ? `kafka ${brokers.join(',')}` : 'embedded'}`);
    const figures = await measureGroups(
      gateway,
      groupBenchDefaults(process.env['BENCH_QUICK'] === '1'),
      log,
      brokers
        ? () =>
            startGatewayProcess({
              brokers,
              topicPrefix: gateway.topicPrefix,
              adminToken: gateway.adminToken,
              env: { LOG_LEVEL: 'warn' },
            })
        : undefined,
    );
    process.stdout.write(
      `${JSON.stringify({ log: brokers ? 'kafka' : 'embedded', ...figures }, null, 2)}\n`,
    );
  } finally {
    await gateway.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
