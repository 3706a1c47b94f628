/**
 * The registry at 100, 1,000 and 5,000 event types, as gateway processes live it (issue 12):
 *
 * - load: a gateway starting on a registry of N platform-like event types: the registry read
 *   (`registry loaded`) and the first GraphQL schema (`schema assembled`), from its own log;
 * - propagation: registerEventType on gateway A until the new type is typed in gateway B's
 *   introspection (`__type(name: …Data)`), polled every 10 ms;
 * - stall: the longest event-loop stall on A and on B while that happens, from the gateways'
 *   own event-loop monitor (`streamgate_nodejs_eventloop_lag_max_seconds`, 10 ms resolution,
 *   reset at each scrape, scraped right before and right after).
 *
 * Needs Kafka (two instances share its registry topic): KAFKA_BROKERS, or it starts a broker.
 * Prints JSON; asserts nothing.  npx tsx bench/registry-scale.ts [100,1000,5000] [registrations]
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { startKafka, type KafkaBroker } from '../scripts/kafka/start-kafka.js';
import { createKafkaLog } from '../src/log/kafka/index.js';
import { createRegistry, type Registry } from '../src/registry/registry.js';
import type { SchemaVersionRecord } from '../src/registry/registry-records.js';
import { startGatewayProcess, type GatewayProcess } from '../test/support/gateway-process.js';
import { generatedRecords, streamRecord } from './registry-records.js';

const sizes = (process.argv[2] ?? '100,1000,5000').split(',').map(Number);
const registrations = Number(process.argv[3] ?? 5);
/** Event types per stream: under the default per-stream limit, as teams would spread them. */
const TYPES_PER_STREAM = 500;
const WRITE_CONCURRENCY = 32;
const log = (line: string) => process.stderr.write(`[registry-scale] ${line}\n`);

async function fill(brokers: readonly string[], topicPrefix: string, count: number): Promise<void> {
  const eventLog = createKafkaLog({ brokers: [...brokers], topicPrefix });
  await eventLog.connect();
  const registry = createRegistry({ log: eventLog, writeTimeoutMs: 120_000 });
  await registry.start();
  const records: SchemaVersionRecord[] = [];
  for (let first = 0; first < count; first += TYPES_PER_STREAM) {
    const stream = `bench-${first / TYPES_PER_STREAM}`;
    await write(registry, streamRecord(stream));
    const part = await generatedRecords(stream, Math.min(TYPES_PER_STREAM, count - first), first);
    records.push(...part);
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITE_CONCURRENCY }, async () => {
      while (next < records.length) await write(registry, records[next++]!);
    }),
  );
  await registry.close();
  await eventLog.close();
}

async function write(registry: Registry, record: Parameters<Registry['write']>[0]): Promise<void> {
  const outcome = await registry.write(record);
  if (!outcome.accepted) throw new Error(`refused: ${outcome.message}`);
}

/** The `…ms` figures of the gateway's log lines with message `msg`. */
function logged(gateway: GatewayProcess, msg: string): Record<string, number>[] {
  return gateway
    .output()
    .split('\n')
    .filter((line) => line.includes(`"msg":"${msg}"`))
    .map((line) => JSON.parse(line) as Record<string, number>);
}

async function maxLagMs(gateway: GatewayProcess): Promise<number> {
  const text = await (
    await fetch(`${gateway.url}/metrics`, {
      headers: { authorization: `Bearer ${gateway.adminToken}` },
    })
  ).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('streamgate_nodejs_eventloop_lag_max_seconds '));
  return Math.round(Number(line?.split(' ')[1]) * 1000);
}

async function typedIn(gateway: GatewayProcess, dataType: string): Promise<boolean> {
  const result = await gateway.graphql(`{ __type(name: "${dataType}") { name } }`);
  return result.data?.__type?.name === dataType;
}

interface Registration {
  propagationMs: number;
  stallOnRegisteringMs: number;
  stallOnOtherMs: number;
  /** The same monitors over as long a window with no registration: the machine's own stalls. */
  idleStallMs: number;
}

async function registerOnce(
  a: GatewayProcess,
  b: GatewayProcess,
  i: number,
): Promise<Registration> {
  const type = `probe${randomBytes(3).toString('hex')}.thing${i}.created`;
  const [record] = await generatedRecords('probe', 1, 900_000 + i);
  const dataType = `${type
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}Data`;
  await Promise.all([maxLagMs(a), maxLagMs(b)]); // resets both monitors
  const started = performance.now();
  const registered = await a.graphql(
    'mutation ($i: RegisterEventTypeInput!) { registerEventType(input: $i) { version } }',
    { i: { type, stream: 'probe', schema: record!.schema } },
  );
  if (registered.errors) throw new Error(JSON.stringify(registered.errors));
  while (!(await typedIn(b, dataType))) await new Promise((r) => setTimeout(r, 10));
  const propagationMs = Math.round(performance.now() - started);
  const [stallOnRegisteringMs, stallOnOtherMs] = await Promise.all([maxLagMs(a), maxLagMs(b)]);
  // An idle window as long, polled the same way, for the baseline.
  const idleUntil = performance.now() + propagationMs;
  while (performance.now() < idleUntil) {
    await typedIn(b, dataType);
    await new Promise((r) => setTimeout(r, 10));
  }
  const idleStallMs = Math.max(...(await Promise.all([maxLagMs(a), maxLagMs(b)])));
  return { propagationMs, stallOnRegisteringMs, stallOnOtherMs, idleStallMs };
}

async function measure(brokers: readonly string[], count: number) {
  const topicPrefix = `regscale-${randomBytes(4).toString('hex')}.`;
  log(`filling a registry with ${count} event types`);
  await fill(brokers, topicPrefix, count);
  log('starting two gateways on it');
  // BENCH_GATEWAY_NODE_OPTIONS profiles the gateways, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeOptions = process.env['BENCH_GATEWAY_NODE_OPTIONS'];
  const env = {
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  };
  const a = await startGatewayProcess({ brokers, topicPrefix, env });
  const b = await startGatewayProcess({ brokers, topicPrefix, env });
  try {
    await a.graphql('mutation { createStream(input: { name: "probe", partitions: 1 }) { name } }');
    await typedIn(b, 'Query'); // warm both before measuring
    const runs: Registration[] = [];
    for (let i = 0; i < registrations; i++) runs.push(await registerOnce(a, b, i));
    const loaded = logged(b, 'registry loaded')[0];
    const assembled = logged(b, 'schema assembled')[0];
    const max = (key: keyof Registration) => Math.max(...runs.map((r) => r[key]));
    const median = (key: keyof Registration) =>
      runs.map((r) => r[key]).sort((x, y) => x - y)[Math.floor(runs.length / 2)]!;
    return {
      eventTypes: count,
      loadMs: loaded?.['loadMs'],
      firstSchemaMs: assembled?.['ms'],
      propagationMs: { median: median('propagationMs'), max: max('propagationMs') },
      longestStallMs: {
        registering: max('stallOnRegisteringMs'),
        other: max('stallOnOtherMs'),
        idleBaseline: max('idleStallMs'),
      },
      assembleMs: logged(b, 'schema assembled')
        .slice(1)
        .map((l) => l['assembleMs']),
    };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

async function main(): Promise<void> {
  let broker: KafkaBroker | undefined;
  const given = process.env['KAFKA_BROKERS']?.split(',').filter(Boolean);
  if (!given?.length) broker = await startKafka({ log });
  const brokers = given?.length ? given : broker!.brokers;
  try {
    const results = [];
    for (const count of sizes) {
      results.push(await measure(brokers, count));
      log(JSON.stringify(results.at(-1)));
    }
    process.stdout.write(
      `${JSON.stringify({ loadAverage: loadavg().map((l) => Math.round(l * 10) / 10), registrationsPerSize: registrations, results }, null, 2)}\n`,
    );
  } finally {
    await broker?.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
