/**
 * The registry at scale: 1,000 event types with schemas of realistic size (the platform
 * schemas, each given a few fields of its own). Times registering them, loading the registry
 * from the log as a starting instance does, applying the records in memory (the per-record
 * checks, GraphQL model included), and rebuilding the GraphQL schema (`buildGatewaySchema`).
 * On the embedded log, and on Kafka when KAFKA_BROKERS is set (e.g. from `npm run kafka`).
 * Prints JSON; asserts nothing.
 *
 *   npx tsx bench/registry.ts [eventTypes]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { buildGatewaySchema } from '../src/graphql/build-schema.js';
import { createEmbeddedLog } from '../src/log/embedded/index.js';
import type { EventLog } from '../src/log/event-log.js';
import { createKafkaLog } from '../src/log/kafka/index.js';
import { createRegistry, type Registry } from '../src/registry/registry.js';
import type { SchemaVersionRecord } from '../src/registry/registry-records.js';
import { generatedRecords, streamRecord } from './registry-records.js';
import { RegistryState } from '../src/registry/registry-state.js';

const eventTypeCount = Number(process.argv[2] ?? 1000);
/** Registry writes in flight at once while filling the log (a busy deploy, not one by one). */
const WRITE_CONCURRENCY = 32;
const REBUILDS = 5;

interface Figures {
  log: 'embedded' | 'kafka';
  eventTypes: number;
  registerAllMs: number;
  registerPerSecond: number;
  loadMs: number;
  loadedEventTypes: number;
}

async function writeAll(
  registry: Registry,
  records: readonly SchemaVersionRecord[],
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITE_CONCURRENCY }, async () => {
      while (next < records.length) {
        const outcome = await registry.write(records[next++]!);
        if (!outcome.accepted) throw new Error(`refused: ${outcome.message}`);
      }
    }),
  );
}

/** Fills a fresh registry topic, then loads it with a second registry as a new instance would. */
async function onLog(kind: Figures['log'], open: () => EventLog, topic: string): Promise<Figures> {
  const records = await generatedRecords('bench', eventTypeCount);
  const writerLog = open();
  await writerLog.connect();
  const writer = createRegistry({ log: writerLog, topic, writeTimeoutMs: 120_000 });
  await writer.start();
  await writer.write(streamRecord('bench'));
  const started = performance.now();
  await writeAll(writer, records);
  const registerAllMs = performance.now() - started;
  await writer.close();
  await writerLog.close();

  const readerLog = open();
  await readerLog.connect();
  const reader = createRegistry({ log: readerLog, topic });
  await reader.start();
  const figures: Figures = {
    log: kind,
    eventTypes: eventTypeCount,
    registerAllMs: Math.round(registerAllMs),
    registerPerSecond: Math.round((eventTypeCount / registerAllMs) * 1000),
    loadMs: reader.loadMs,
    loadedEventTypes: reader.state.eventTypes.size,
  };
  await reader.close();
  await readerLog.close();
  return figures;
}

/** Applying the records in memory, and rebuilding the GraphQL schema from the result. */
async function inMemory(): Promise<Record<string, number>> {
  const records = await generatedRecords('bench', eventTypeCount);
  const state = new RegistryState();
  state.apply(streamRecord('bench'));
  const applyStarted = performance.now();
  for (const record of records) {
    const outcome = state.apply(record);
    if (!outcome.accepted) throw new Error(`refused: ${outcome.message}`);
  }
  const applyMs = performance.now() - applyStarted;
  const rebuilds: number[] = [];
  let sdlBytes = 0;
  let types = 0;
  for (let i = 0; i < REBUILDS; i++) {
    const started = performance.now();
    const schema = buildGatewaySchema(state);
    rebuilds.push(performance.now() - started);
    types = Object.keys(schema.getTypeMap()).length;
    if (i === 0) sdlBytes = Buffer.byteLength(printSchema(schema));
  }
  const first = rebuilds[0] ?? 0;
  rebuilds.sort((a, b) => a - b);
  const averageSchemaBytes =
    records.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r.schema)), 0) /
    records.length;
  return {
    applyAllMs: Math.round(applyMs),
    applyPerRecordMs: Number((applyMs / eventTypeCount).toFixed(3)),
    // The first build also warms up the JIT, as a gateway's first build at start does.
    rebuildFirstMs: Math.round(first),
    rebuildMedianMs: Math.round(rebuilds[Math.floor(rebuilds.length / 2)]!),
    graphqlTypes: types,
    sdlBytes,
    averageSchemaBytes: Math.round(averageSchemaBytes),
  };
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {
    eventTypes: eventTypeCount,
    inMemory: await inMemory(),
  };

  const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-bench-registry-'));
  try {
    // fsync 'always' is the gateway's default: every registry write waits for the disk.
    results['embedded'] = await onLog(
      'embedded',
      () => createEmbeddedLog({ dataDir }),
      '_streamgate.registry',
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }

  const brokers = (process.env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length > 0) {
    const topicPrefix = `bench-${randomBytes(4).toString('hex')}.`;
    results['kafka'] = await onLog(
      'kafka',
      () => createKafkaLog({ brokers, topicPrefix }),
      '_streamgate.registry',
    );
  } else {
    results['kafka'] = 'skipped: set KAFKA_BROKERS (e.g. from `npm run kafka`) to measure on Kafka';
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
