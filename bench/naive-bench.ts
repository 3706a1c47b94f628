import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { GatewayProcess } from '../test/support/gateway-process.js';
import { fanoutQuery, STREAMS } from './bench-streams.js';
import { mb, percentiles, type Percentiles } from './figures.js';
import { tickRecord } from './publish-bench.js';
import { sampleProcess } from './proc-stats.js';
import type { SubscriberPool } from './subscriber-pool.js';

export interface StartupFigures {
  readonly subscribers: number;
  /** Subscribers that received an event within the time allowed. */
  readonly live: number;
  /** Consumer groups with members while they are connected. */
  readonly consumerGroups: number;
  /** From each subscribe message to its first event (events are published every 100 ms). */
  readonly timeToFirstEventMs: Percentiles;
  readonly rssMb: { readonly before: number; readonly connected: number };
}

export interface NaiveFigures {
  readonly naive: StartupFigures;
  readonly gateway: StartupFigures;
}

/** Starts a benchmark server script as a child process; resolves with it and its port. */
export async function startScript(
  script: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.once('message', (message: { port: number }) => resolve(message.port));
  });
  return { child, port };
}

export async function stopScript(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.disconnect();
  await exited;
}

/** Consumer groups whose id starts with `prefix` and that have members now. */
export async function activeGroups(
  admin: Admin,
  prefix: string,
): Promise<{ listed: number; active: number }> {
  const { groups } = await admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
  if (ours.length === 0) return { listed: 0, active: 0 };
  const described = await admin.describeGroups(ours);
  return {
    listed: ours.length,
    active: described.groups.filter((g) => g.members.length > 0).length,
  };
}

/**
 * Subscription start-up, side by side: the naive server (one kafkajs consumer per subscription)
 * and the gateway (one tail reader per stream), each with `n` subscribers to a stream that gets
 * an event every 100 ms.
 */
export async function measureNaive(
  gateway: GatewayProcess,
  brokers: readonly string[],
  pool: SubscriberPool,
  n: number,
  log: (line: string) => void,
): Promise<NaiveFigures> {
  const stream = STREAMS.naive;
  const topic = `${gateway.topicPrefix}${stream}`;
  const kafka = new Kafka({
    clientId: 'bench-naive',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await Promise.all([admin.connect(), producer.connect()]);
  let seq = 0;
  const ticking = setInterval(() => {
    void producer.send({ topic, messages: [tickRecord(stream, seq++)] }).catch(() => undefined);
  }, 100);
  const naive = await startScript('./naive-server.ts', { KAFKA_BROKERS: brokers.join(',') });
  try {
    const startup = async (
      name: string,
      pid: number,
      groupPrefix: string,
      connect: () => Promise<unknown>,
    ): Promise<StartupFigures> => {
      const before = sampleProcess(pid).rssBytes;
      await pool.reset();
      await connect();
      const deadline = Date.now() + 120_000;
      let live = 0;
      while (Date.now() < deadline && (live = (await pool.counts()).live) < n) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      log(`  ${name}: ${live}/${n} subscribers received an event`);
      const groups = await activeGroups(admin, groupPrefix);
      const connected = sampleProcess(pid).rssBytes;
      const { timeToFirst } = await pool.collect();
      await pool.closeAll();
      return {
        subscribers: n,
        live,
        consumerGroups: groups.active,
        timeToFirstEventMs: percentiles(timeToFirst),
        rssMb: { before: mb(before), connected: mb(connected) },
      };
    };
    const naiveFigures = await startup('naive', naive.child.pid!, 'naive-', () =>
      pool.connect(n, {
        url: `ws://127.0.0.1:${naive.port}/graphql`,
        mode: 'graphql-ws',
        query: `subscription { events(topic: "${topic}") { offset data } }`,
      }),
    );
    const gatewayFigures = await startup('gateway', gateway.child.pid!, gateway.topicPrefix, () =>
      pool.connect(n, {
        url: gateway.wsUrl,
        mode: 'graphql-ws',
        authorization: `Bearer ${gateway.adminToken}`,
        query: fanoutQuery(stream),
      }),
    );
    return { naive: naiveFigures, gateway: gatewayFigures };
  } finally {
    clearInterval(ticking);
    await stopScript(naive.child);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }
}
