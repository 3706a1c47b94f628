/**
 * `npm run -s bench > report.json`: the benchmark. Starts a Kafka broker (or uses KAFKA_BROKERS)
 * and the gateway as a process on it, drives it from separate client processes, and prints ONE
 * JSON report on stdout (progress goes to stderr; `-s` keeps npm's own banner off stdout). It
 * prints figures and ratios; it asserts nothing.
 *
 * Environment: BENCH_SUBSCRIBERS=1,100,1000,10000 (fan-out sizes), BENCH_REPLAY=1000000,
 * BENCH_PUBLISH=20000, BENCH_NAIVE=100, BENCH_GROUP_EVENTS=3000, BENCH_QUICK=1 (tiny sizes: proves the harness works),
 * BENCH_GATEWAY_NODE_OPTIONS (NODE_OPTIONS of the gateway process, e.g. to profile it).
 * BENCH_RESUME=1000,10000 (reconnect storms, on the embedded log and on a broker with Kafka's
 * production defaults: resume-storm.ts).
 * BENCH_ONLY=fanout measures the fan-out alone, on the embedded log (no broker started, no
 * publish, replay or naive figures).
 */
import { cpus } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { startKafka, type KafkaBroker } from '../scripts/kafka/start-kafka.js';
import { startGatewayProcess, type GatewayProcess } from '../test/support/gateway-process.js';
import { createBenchStreams } from './bench-streams.js';
import { loadBenchConfig, type BenchConfig } from './config.js';
import {
  gatewayTarget,
  measureFanout,
  measureIdleHeap,
  rawTarget,
  ratio,
  type FanoutFigures,
} from './fanout-bench.js';
import { round, wallMs } from './figures.js';
import { groupBenchDefaults, measureGroups } from './group-bench.js';
import { activeGroups, measureNaive, startScript, stopScript } from './naive-bench.js';
import { measurePublish } from './publish-bench.js';
import { measureReplay } from './replay-bench.js';
import { measureResume } from './resume-bench.js';
import { startSubscriberPool, type SubscriberPool } from './subscriber-pool.js';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const config = loadBenchConfig();
  const began = wallMs();
  let broker: KafkaBroker | undefined;
  let gateway: GatewayProcess | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    if (!config.brokers && !config.fanoutOnly) {
      log('starting Kafka');
      broker = await startKafka({ log });
    }
    const brokers = config.fanoutOnly ? undefined : (config.brokers ?? broker!.brokers);
    // BENCH_GATEWAY_NODE_OPTIONS profiles the gateway, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    // The inspector (loopback, a free port) lets the bench read the heap after a collection.
    const nodeOptions = ['--inspect=127.0.0.1:0', process.env['BENCH_GATEWAY_NODE_OPTIONS'] ?? '']
      .join(' ')
      .trim();
    gateway = await startGatewayProcess({
      brokers,
      env: {
        LOG_LEVEL: 'warn',
        // Every subscriber socket comes from loopback: lift the per-address cap (default 1000).
        MAX_WS_CONNECTIONS_PER_ADDRESS: '100000',
        NODE_OPTIONS: nodeOptions,
      },
    });
    const running = gateway;
    cleanups.push(() => running.stop());
    log(`gateway ${gateway.url} (pid ${gateway.child.pid})`);
    await createBenchStreams(gateway);

    const pool = await startSubscriberPool(config.clientWorkers);
    cleanups.push(() => pool.stop());
    const raw = await startScript('./raw-broadcast-server.ts', {});
    cleanups.push(() => stopScript(raw.child));
    const admin = brokers
      ? new Kafka({
          clientId: 'bench-admin',
          brokers: [...brokers],
          logLevel: logLevel.NOTHING,
        }).admin()
      : undefined;
    if (admin) {
      await admin.connect();
      cleanups.push(() => admin.disconnect());
    }

    // Largest first: its idle memory is measured on a gateway no earlier size has touched.
    const sizes = [...config.subscribers].sort((a, b) => b - a);
    const largest = sizes[0]!;
    let consumerGroups: { subscribers: number; listed: number; active: number } | undefined;
    const fanout: {
      subscribers: number;
      gateway: FanoutFigures;
      raw: FanoutFigures;
      ratio: number;
    }[] = [];
    for (const n of sizes) {
      log(`fan-out to ${n} subscribers`);
      const viaGateway = await measureFanout(
        gatewayTarget(gateway),
        pool,
        n,
        config,
        log,
        async () => {
          if (n === largest && admin)
            consumerGroups = {
              subscribers: n,
              ...(await activeGroups(admin, gateway!.topicPrefix)),
            };
        },
      );
      const viaRaw = await measureFanout(
        rawTarget(`http://127.0.0.1:${raw.port}`, raw.child.pid!),
        pool,
        n,
        config,
        log,
      );
      const figures = {
        subscribers: n,
        gateway: viaGateway,
        raw: viaRaw,
        ratio: ratio(viaGateway.burst.deliveriesPerSecond, viaRaw.burst.deliveriesPerSecond),
      };
      log(
        `  ${n}: gateway ${viaGateway.burst.deliveriesPerSecond}/s, raw ${viaRaw.burst.deliveriesPerSecond}/s, ratio ${figures.ratio}; ` +
          `latency p50 ${viaGateway.latencyMs.p50} ms p99 ${viaGateway.latencyMs.p99} ms`,
      );
      fanout.push(figures);
    }
    fanout.sort((a, b) => a.subscribers - b.subscribers);
    const atLargest = fanout.find((f) => f.subscribers === largest)!;
    log(`idle heap at ${largest} subscribers`);
    const idleHeap = await measureIdleHeap(gatewayTarget(gateway), pool, largest, log);

    const rest = brokers ? await measureTheRest(gateway, brokers, pool, config) : {};
    // Its own gateways, brokers and client processes; this run's sit idle meanwhile.
    const resume = config.fanoutOnly ? undefined : await measureResume(config, brokers, log);

    const report = {
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        node: process.version,
        kafka: broker?.version ?? 'external',
      },
      config: {
        quick: config.quick,
        subscribers: config.subscribers,
        latencyEvents: config.latencyEvents,
        burstEvents: Object.fromEntries(config.subscribers.map((n) => [n, config.burstEvents(n)])),
        clientProcesses: config.clientWorkers,
      },
      fanout,
      idleMemory: {
        subscribers: largest,
        rssBeforeMb: atLargest.gateway.serverRssMb.before,
        rssIdleMb: atLargest.gateway.serverRssMb.idle,
        bytesPerSubscription: atLargest.gateway.bytesPerIdleSubscription,
        // After a full collection (see measureIdleHeap).
        heapBytesPerSubscription: idleHeap?.heapBytesPerSubscription,
      },
      consumerGroups,
      ...rest,
      ...(resume ? { resume } : {}),
      durationSeconds: round((wallMs() - began) / 1000, 1),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => log(`cleanup: ${String(error)}`));
    await broker?.close();
  }
}

/** Publishing, replay and the naive baseline: on Kafka. */
async function measureTheRest(
  gateway: GatewayProcess,
  brokers: readonly string[],
  pool: SubscriberPool,
  config: BenchConfig,
) {
  log('publish');
  const publish = await measurePublish(gateway, brokers, config);
  log(
    `  publishBatch ${publish.publishBatchEventsPerSecond}/s, kafkajs ${publish.kafkajsEventsPerSecond}/s`,
  );
  log(`replay of ${config.replayEvents} events`);
  const replay = await measureReplay(gateway, brokers, pool, config.replayEvents, log);
  log(`  ${replay.eventsPerSecond} events/s, first after ${replay.timeToFirstEventMs} ms`);
  log(`naive baseline with ${config.naiveSubscribers} subscribers`);
  const naive = await measureNaive(gateway, brokers, pool, config.naiveSubscribers, log);
  // Quick mode keeps to one instance; otherwise members also come and go on a second one.
  const groups = await measureGroups(
    gateway,
    groupBenchDefaults(config.quick),
    log,
    config.quick
      ? undefined
      : () =>
          startGatewayProcess({
            brokers,
            topicPrefix: gateway.topicPrefix,
            adminToken: gateway.adminToken,
            env: { LOG_LEVEL: 'warn' },
          }),
  );
  return { publish, replay, naive, groups };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
