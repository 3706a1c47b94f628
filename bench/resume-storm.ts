/**
 * `npm run -s bench:resume > report.json`: the reconnect storm. N graphql-ws clients resume at
 * once on one gateway instance, each from a cursor within the last minute (1 to 50 events
 * back), while publishing goes on; then one replay from earliest and one resume from the oldest
 * cursor. Prints one JSON report: share resumed, time to first event p50/p99/max, refusals,
 * consumer groups created, RSS. It asserts nothing.
 *
 * BENCH_STORM=1000,10000 (storm sizes), BENCH_LOG=embedded|kafka (kafka: KAFKA_BROKERS, or a
 * broker started here with Kafka's production defaults), BENCH_PUBLISH_PER_SECOND=20,
 * BENCH_CPU_PROF=<dir> (the gateway writes a V8 CPU profile there), BENCH_GATEWAY_ENV="NAME=value
 * ..." (the gateway's settings, e.g. WS_HANDSHAKE_CONCURRENCY), BENCH_TIMELINE=1 (each client
 * process prints when its clients were acknowledged and got their first event).
 */
import { Kafka, logLevel } from 'kafkajs';
import { startKafka, type KafkaBroker } from '../scripts/kafka/start-kafka.js';
import {
  platformExample,
  publishJson,
  subscribeEvents,
  type ReceivedEvent,
} from '../test/support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../test/support/gateway-process.js';
import { mb, percentiles, round, wallMs } from './figures.js';
import { sampleProcess, watchPeakRss } from './proc-stats.js';
import { startSubscriberPool } from './subscriber-pool.js';

const log = (line: string) => process.stderr.write(`[storm] ${line}\n`);
const sizes = (process.env['BENCH_STORM'] ?? '1000,10000').split(',').map(Number);
const onKafka = process.env['BENCH_LOG'] === 'kafka';
const publishPerSecond = Number(process.env['BENCH_PUBLISH_PER_SECOND'] ?? 20);
const cpuProfileDir = process.env['BENCH_CPU_PROF'];
const QUERY = `subscription ($after: String!) {
  events(streams: ["platform"], from: { after: $after }) { id cursor }
}`;

async function main(): Promise<void> {
  let broker: KafkaBroker | undefined;
  let brokers: string[] | undefined;
  if (onKafka) {
    brokers = process.env['KAFKA_BROKERS']?.split(',');
    if (!brokers) {
      log("starting Kafka with Kafka's production defaults");
      broker = await startKafka({ log, defaults: 'production' });
      brokers = broker.brokers;
    }
  }
  // Every client comes from this one address; a real storm comes from many.
  const gateway = await startGatewayProcess({
    brokers,
    // BENCH_COMPILED=1: the gateway as `npm start` runs it, compiled (dist/, `npm run build`).
    ...(process.env['BENCH_COMPILED'] === '1'
      ? { launch: { command: process.execPath, args: ['dist/main.js'], cwd: process.cwd() } }
      : {}),
    env: {
      LOG_LEVEL: 'warn',
      MAX_WS_CONNECTIONS_PER_ADDRESS: '100000',
      // BENCH_GATEWAY_ENV="WS_HANDSHAKE_CONCURRENCY=64 ...": settings of the gateway to compare.
      ...Object.fromEntries(
        (process.env['BENCH_GATEWAY_ENV'] ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      ),
      // BENCH_CPU_PROF=<dir>: the gateway writes a V8 CPU profile there when it stops.
      ...(cpuProfileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${cpuProfileDir}` } : {}),
    },
  });
  const pool = await startSubscriberPool(2, 200);
  const groupPrefix = broker ? undefined : gateway.topicPrefix;
  const groupsBefore = await consumerGroups(brokers, groupPrefix);
  let publishing = true;
  try {
    // A minute of history at the publish rate, and a subscriber that notes every cursor.
    const watcher = subscribeEvents(gateway, 'graphql-ws', {
      streams: ['platform'],
      from: { latest: true },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    let version = 0;
    const publishOne = () =>
      publishJson(gateway, {
        type: 'release.created',
        resourceId: `app-${version % 16}`,
        data: platformExample('release.created', { version: ++version }),
      });
    for (let i = 0; i < 300; i++) await publishOne();
    const background = (async () => {
      while (publishing && publishPerSecond > 0) {
        await publishOne().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 1000 / publishPerSecond));
      }
    })();
    await watcher.collect(300);
    const cursors = watcher.events.map((event: ReceivedEvent) => event.cursor);

    const storms = [];
    for (const size of sizes) {
      await pool.reset();
      const rss = watchPeakRss(gateway.child.pid!);
      const before = sampleProcess(gateway.child.pid!);
      const began = wallMs();
      // Everyone at once: chunks of 50 clients, each chunk with its own cursor 1 to 50 back.
      const chunks = Array.from({ length: Math.ceil(size / 50) }, (_, i) => i);
      const opened = await Promise.all(
        chunks.map((i) =>
          pool.connect(Math.min(50, size - i * 50), {
            url: gateway.wsUrl,
            mode: 'graphql-ws',
            authorization: `Bearer ${gateway.adminToken}`,
            query: QUERY,
            variables: { after: cursors[cursors.length - 1 - (i % 50)] },
          }),
        ),
      );
      const connectMs = wallMs() - began;
      // Until everyone got an event, or 60 s.
      const deadline = Date.now() + 60_000;
      let collected = await pool.collect();
      while (collected.timeToFirst.length < size && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        collected = await pool.collect();
      }
      const peak = rss.stop();
      const after = sampleProcess(gateway.child.pid!);
      const times = percentiles(collected.timeToFirst);
      storms.push({
        clients: size,
        connected: opened.reduce((n, o) => n + o.connected, 0),
        resumed: collected.timeToFirst.length,
        shareResumed: round(collected.timeToFirst.length / size, 4),
        refused: collected.errors.filter((e) => e.includes('UNAVAILABLE')).length,
        errors: collected.errors.slice(0, 5),
        timeToFirstEventMs: times,
        // From the client's first TCP connect: the handshake's wait included.
        timeToFirstEventFromConnectMs: percentiles(collected.timeToFirstFromOpen),
        connectAllMs: round(connectMs, 0),
        gatewayRssMb: { before: mb(before.rssBytes), peak: mb(peak) },
        // CPU the gateway spent from the first connect to the last first event (live delivery
        // to everyone resumed included): what a resume costs, whatever else loads the machine.
        gatewayCpuSeconds: round(after.cpuSeconds - before.cpuSeconds, 1),
        gatewayCpuMsPerClient: round(((after.cpuSeconds - before.cpuSeconds) * 1000) / size, 2),
      });
      log(JSON.stringify(storms.at(-1)));
      await pool.closeAll();
    }

    // A single resume is timed on a gateway at rest, not one still closing a storm's sockets.
    await untilIdle(gateway.child.pid!);
    const replay = await firstEventMs(gateway, { earliest: true });
    const oldCursor = await firstEventMs(gateway, { after: cursors[0]! });
    // On Kafka, the same on a second instance that has read nothing yet (no hot window): the
    // catch-up path proper, group-less fetches from the brokers.
    let cold: Record<string, number> | undefined;
    if (brokers) {
      const second = await startGatewayProcess({
        brokers,
        topicPrefix: gateway.topicPrefix,
        adminToken: gateway.adminToken,
        env: { LOG_LEVEL: 'warn' },
      });
      try {
        cold = {
          replayFromEarliestFirstEventMs: await firstEventMs(second, { earliest: true }),
          resumeFromOldestCursorFirstEventMs: await firstEventMs(second, { after: cursors[0]! }),
          replayAgainFirstEventMs: await firstEventMs(second, { earliest: true }),
        };
      } finally {
        await second.stop();
      }
    }
    const groupsAfter = await consumerGroups(brokers, groupPrefix);
    publishing = false;
    await background;
    const report = {
      log: onKafka ? (broker ? 'kafka (production defaults, started here)' : 'kafka') : 'embedded',
      publishPerSecond,
      storms,
      replayFromEarliestFirstEventMs: replay,
      resumeFromOldestCursorFirstEventMs: oldCursor,
      ...(cold ? { onASecondInstance: cold } : {}),
      consumerGroupsCreated: groupsAfter === undefined ? null : groupsAfter - groupsBefore!,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    watcher.close();
  } finally {
    publishing = false;
    await pool.stop();
    await gateway.stop();
    await broker?.close();
  }
}

/** Waits (30 s at most) until the process used under a fifth of a core for half a second. */
async function untilIdle(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const before = sampleProcess(pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = sampleProcess(pid);
    if ((after.cpuSeconds - before.cpuSeconds) / ((after.at - before.at) / 1000) < 0.2) return;
  }
}

async function firstEventMs(gateway: GatewayProcess, from: Record<string, unknown>) {
  const began = wallMs();
  const subscription = subscribeEvents(gateway, 'graphql-ws', { streams: ['platform'], from });
  await subscription.collect(1);
  const ms = wallMs() - began;
  subscription.close();
  return round(ms, 1);
}

/**
 * Consumer groups on the cluster: all of them on a broker of our own; on a shared one
 * (KAFKA_BROKERS), those named under the gateway's prefix, where the gateway names its own.
 */
async function consumerGroups(
  brokers: string[] | undefined,
  prefix: string | undefined,
): Promise<number | undefined> {
  if (!brokers) return undefined;
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const { groups } = await admin.listGroups();
  await admin.disconnect();
  return groups.filter((group) => prefix === undefined || group.groupId.startsWith(prefix)).length;
}

main().catch((error: unknown) => {
  process.stderr.write(`storm: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
