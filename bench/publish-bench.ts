import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Message } from 'kafkajs';
import type { GatewayProcess } from '../test/support/gateway-process.js';
import { dataschemaUri } from '../src/events/dataschema.js';
import { publishTick, publishTicks, STREAMS, tickData } from './bench-streams.js';
import type { BenchConfig } from './config.js';
import { percentiles, round, wallMs, type Percentiles } from './figures.js';

export interface PublishFigures {
  readonly events: number;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly publishBatchEventsPerSecond: number;
  readonly kafkajsEventsPerSecond: number;
  /** publishBatch ÷ kafkajs. */
  readonly ratio: number;
  readonly singlePublishMs: Percentiles;
  /** Single publish mutations, `inFlight` under way at once (each its own HTTP request). */
  readonly concurrentSingles: {
    readonly events: number;
    readonly inFlight: number;
    readonly eventsPerSecond: number;
  };
}

/** The record the gateway writes for a tick, made by hand (the CloudEvents Kafka binding). */
export function tickRecord(stream: string, seq: number): Message {
  const id = randomUUID();
  return {
    key: id,
    value: JSON.stringify(tickData(seq)),
    headers: {
      ce_specversion: '1.0',
      ce_id: id,
      ce_source: 'bench',
      ce_type: `${stream}.tick`,
      ce_time: new Date().toISOString(),
      ce_subject: id,
      ce_dataschema: dataschemaUri(`${stream}.tick`, 1),
      'content-type': 'application/json',
    },
  };
}

/** Runs `count` jobs with `concurrency` under way at once. */
export async function inLanes(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

/**
 * Events per second through publishBatch (validation, envelope, one produce request per batch)
 * against a plain idempotent kafkajs producer sending the same records in the same batches with
 * the same concurrency; the single publish mutation's latency; and single publish mutations
 * under way by the hundred, as many independent services publish (merged into shared writes).
 */
export async function measurePublish(
  gateway: GatewayProcess,
  brokers: readonly string[],
  config: BenchConfig,
): Promise<PublishFigures> {
  const stream = STREAMS.publish;
  const { publishEvents: events, publishBatchSize: size, publishConcurrency: concurrency } = config;
  const batches = Math.ceil(events / size);
  const seqs = (b: number) =>
    Array.from({ length: Math.min(size, events - b * size) }, (_, i) => b * size + i);

  // Warm both paths up (connections, JIT) before timing.
  await publishTicks(gateway, stream, seqs(0));
  let started = wallMs();
  await inLanes(batches, concurrency, (b) => publishTicks(gateway, stream, seqs(b)));
  const gatewayRate = events / ((wallMs() - started) / 1000);

  const kafka = new Kafka({
    clientId: 'bench-raw',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const topic = `${gateway.topicPrefix}${stream}`;
  const send = (b: number) =>
    producer
      .send({ topic, acks: -1, messages: seqs(b).map((seq) => tickRecord(stream, seq)) })
      .then(() => undefined);
  try {
    await send(0);
    started = wallMs();
    await inLanes(batches, concurrency, send);
  } finally {
    await producer.disconnect();
  }
  const kafkajsRate = events / ((wallMs() - started) / 1000);

  const single: number[] = [];
  for (let i = 0; i < config.singlePublishes; i++) {
    const at = wallMs();
    await publishTick(gateway, stream, i);
    single.push(wallMs() - at);
  }
  const { concurrentSingles: singles, concurrentSingleInFlight: inFlight } = config;
  started = wallMs();
  await inLanes(singles, inFlight, (i) => publishTick(gateway, stream, i));
  const singlesRate = singles / ((wallMs() - started) / 1000);
  return {
    events,
    batchSize: size,
    concurrency,
    publishBatchEventsPerSecond: Math.round(gatewayRate),
    kafkajsEventsPerSecond: Math.round(kafkajsRate),
    ratio: round(gatewayRate / kafkajsRate),
    singlePublishMs: percentiles(single),
    concurrentSingles: { events: singles, inFlight, eventsPerSecond: Math.round(singlesRate) },
  };
}
