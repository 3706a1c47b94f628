import type { GatewayProcess } from '../test/support/gateway-process.js';
import { fanoutQuery, publishTick, publishTicks, STREAMS, tickData } from './bench-streams.js';
import type { BenchConfig } from './config.js';
import { mb, percentiles, round, wallMs, type Percentiles } from './figures.js';
import { heapUsedAfterGc, inspectorUrlIn } from './inspector-heap.js';
import { cpuPercent, sampleProcess, watchPeakRss } from './proc-stats.js';
import type { SubscriberPool } from './subscriber-pool.js';

/** A server that fans events out to the pool's sockets: the gateway, or the plain ws baseline. */
export interface FanoutTarget {
  readonly name: 'gateway' | 'raw';
  readonly pid: number;
  /** Opens `n` subscriber sockets on it. */
  connect(
    pool: SubscriberPool,
    n: number,
  ): Promise<{ connected: number; failed: number; errors: string[] }>;
  /** Sends one event, stamped with its send time. */
  sendOne(seq: number): Promise<void>;
  /** Sends events in one request, each stamped with its send time. */
  sendMany(seqs: readonly number[]): Promise<void>;
  /** The server's heap in use after a full garbage collection, when it can be read. */
  heapAfterGc?(): Promise<number>;
}

export interface FanoutFigures {
  readonly subscribers: number;
  readonly connected: number;
  /** Publish to delivery, one event at a time (each awaited by every subscriber). */
  readonly latencyMs: Percentiles;
  /** Events sent back to back. */
  readonly burst: {
    readonly events: number;
    readonly deliveries: number;
    readonly complete: boolean;
    readonly deliveriesPerSecond: number;
    readonly latencyMs: Percentiles;
    /** Of the server process, in percent of one core. */
    readonly serverCpuPercent: number;
    /**
     * The server's CPU time per delivery: less at the mercy of other work on the machine than
     * deliveries per second, which also count the time the server waited for a core.
     */
    readonly serverCpuMicrosecondsPerDelivery: number;
    readonly clientCpuPercent: number;
    readonly serverPeakRssMb: number;
  };
  /** Server RSS before connecting and with every subscriber connected and idle. */
  readonly serverRssMb: { readonly before: number; readonly idle: number };
  readonly bytesPerIdleSubscription: number;
  readonly errors: string[];
}

export function gatewayTarget(gateway: GatewayProcess): FanoutTarget {
  const stream = STREAMS.fanout;
  const inspectorUrl = inspectorUrlIn(gateway.output());
  return {
    ...(inspectorUrl ? { heapAfterGc: () => heapUsedAfterGc(inspectorUrl) } : {}),
    name: 'gateway',
    pid: gateway.child.pid!,
    connect: (pool, n) =>
      pool.connect(n, {
        url: gateway.wsUrl,
        mode: 'graphql-ws',
        authorization: `Bearer ${gateway.adminToken}`,
        query: fanoutQuery(stream),
      }),
    sendOne: (seq) => publishTick(gateway, stream, seq),
    sendMany: (seqs) => publishTicks(gateway, stream, seqs),
  };
}

/** The raw baseline gets what a gateway subscriber gets: the same result shape and sizes. */
export function rawTarget(url: string, pid: number): FanoutTarget {
  const cursor = `v1.${Buffer.from(STREAMS.fanout).toString('base64url')}~0_a3k-1_a2w-2_a4b.1x0y2z`;
  const payload = (seq: number) => {
    const data = tickData(seq);
    return {
      data: {
        events: {
          id: crypto.randomUUID(),
          type: `${STREAMS.fanout}.tick`,
          time: new Date().toISOString(),
          resourceId: crypto.randomUUID(),
          cursor,
          payload: data,
          data: { seq: data.seq, sentAt: data.sentAt, region: data.region },
        },
      },
    };
  };
  const post = async (seqs: readonly number[]) => {
    const response = await fetch(`${url}/broadcast`, {
      method: 'POST',
      body: JSON.stringify(seqs.map(payload)),
    });
    if (response.status !== 204) throw new Error(`the raw server answered ${response.status}`);
  };
  return {
    name: 'raw',
    pid,
    connect: (pool, n) => pool.connect(n, { url: url.replace('http', 'ws'), mode: 'raw' }),
    sendOne: (seq) => post([seq]),
    sendMany: post,
  };
}

/** Waits until the pool has received `total` messages; false when it stops getting closer. */
async function untilReceived(
  pool: SubscriberPool,
  total: number,
  stallMs: number,
): Promise<boolean> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const { received } = await pool.counts();
    if (received >= total) return true;
    if (received !== last) {
      last = received;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until no message has arrived for `quietMs` (deliveries of earlier phases are done). */
async function untilQuiet(pool: SubscriberPool, quietMs = 500): Promise<void> {
  let last = -1;
  for (;;) {
    const { received } = await pool.counts();
    if (received === last) return;
    last = received;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

/** Sends warm-up events until every connected subscriber got one: all are live from then on. */
async function untilLive(
  pool: SubscriberPool,
  target: FanoutTarget,
  connected: number,
  log: (line: string) => void,
) {
  const deadline = Date.now() + 180_000;
  let seq = -1;
  while (Date.now() < deadline) {
    await target.sendOne(seq--);
    const waitUntil = Date.now() + 1000;
    while (Date.now() < waitUntil) {
      const { live } = await pool.counts();
      if (live >= connected) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    log(`  ${target.name}: ${(await pool.counts()).live}/${connected} subscribers live`);
  }
  throw new Error(`${target.name}: not every subscriber went live within 180 s`);
}

/**
 * One fan-out size on one target: connect, go live, then latency (one event at a time) and
 * throughput (a burst), with the server's CPU and memory, then disconnect.
 */
export async function measureFanout(
  target: FanoutTarget,
  pool: SubscriberPool,
  n: number,
  config: BenchConfig,
  log: (line: string) => void,
  whileConnected?: () => Promise<void>,
): Promise<FanoutFigures> {
  const before = sampleProcess(target.pid);
  const started = wallMs();
  const { connected, errors } = await target.connect(pool, n);
  log(`  ${target.name}: ${connected}/${n} connected in ${Math.round(wallMs() - started)} ms`);
  await untilLive(pool, target, connected, log);
  await untilQuiet(pool);
  const idle = sampleProcess(target.pid);
  await whileConnected?.();

  await pool.reset();
  for (let k = 0; k < config.latencyEvents; k++) {
    await target.sendOne(k);
    await untilReceived(pool, (k + 1) * connected, 30_000);
  }
  const latency = await pool.collect();

  await pool.reset();
  const events = config.burstEvents(n);
  const seqs = Array.from({ length: events }, (_, i) => i);
  const clientsBefore = pool.pids.map(sampleProcess);
  const serverBefore = sampleProcess(target.pid);
  const peak = watchPeakRss(target.pid);
  const burstStart = wallMs();
  for (let i = 0; i < seqs.length; i += 50) await target.sendMany(seqs.slice(i, i + 50));
  const complete = await untilReceived(pool, events * connected, 30_000);
  const serverAfter = sampleProcess(target.pid);
  const clientsAfter = pool.pids.map(sampleProcess);
  const peakRss = peak.stop();
  const burst = await pool.collect();
  const seconds = ((burst.lastAt ?? burstStart) - burstStart) / 1000;
  if (!complete)
    log(`  ${target.name}: burst incomplete: ${burst.received}/${events * connected} deliveries`);

  await pool.closeAll();
  const serverCpuSeconds = serverAfter.cpuSeconds - serverBefore.cpuSeconds;
  return {
    subscribers: n,
    connected,
    latencyMs: percentiles(latency.latencies),
    burst: {
      events,
      deliveries: burst.received,
      complete,
      deliveriesPerSecond: seconds > 0 ? Math.round(burst.received / seconds) : 0,
      latencyMs: percentiles(burst.latencies),
      serverCpuPercent: cpuPercent(serverBefore, serverAfter),
      serverCpuMicrosecondsPerDelivery:
        burst.received > 0 ? round((serverCpuSeconds / burst.received) * 1e6, 1) : 0,
      clientCpuPercent: clientsBefore.reduce(
        (sum, b, i) => sum + cpuPercent(b, clientsAfter[i]!),
        0,
      ),
      serverPeakRssMb: mb(peakRss),
    },
    serverRssMb: { before: mb(before.rssBytes), idle: mb(idle.rssBytes) },
    bytesPerIdleSubscription: Math.round(
      (idle.rssBytes - before.rssBytes) / Math.max(1, connected),
    ),
    errors: [...errors, ...latency.errors, ...burst.errors].slice(0, 10),
  };
}

/**
 * What one idle subscriber retains on the server: its heap after a full garbage collection with
 * `n` subscribers connected and live, less the same once they are gone, per subscriber. A pass
 * of its own, after the timed ones: the collections it forces would change their RSS readings,
 * and nothing is published between the two readings, so the hot window holds the same events.
 */
export async function measureIdleHeap(
  target: FanoutTarget,
  pool: SubscriberPool,
  n: number,
  log: (line: string) => void,
): Promise<{ subscribers: number; heapBytesPerSubscription: number } | undefined> {
  if (!target.heapAfterGc) return undefined;
  const { connected } = await target.connect(pool, n);
  await untilLive(pool, target, connected, log);
  await untilQuiet(pool);
  const idle = await target.heapAfterGc();
  await pool.closeAll();
  // The server lets go of a subscription once it has seen its socket close.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const gone = await target.heapAfterGc();
  return {
    subscribers: connected,
    heapBytesPerSubscription: Math.round((idle - gone) / Math.max(1, connected)),
  };
}

export function ratio(a: number, b: number): number {
  return b > 0 ? round(a / b) : 0;
}
