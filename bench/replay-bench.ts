import { Kafka, logLevel } from 'kafkajs';
import type { GatewayProcess } from '../test/support/gateway-process.js';
import { STREAMS } from './bench-streams.js';
import { round, wallMs } from './figures.js';
import { inLanes, tickRecord } from './publish-bench.js';
import type { SubscriberPool } from './subscriber-pool.js';

export interface ReplayFigures {
  readonly events: number;
  /** Writing them straight into the topic with kafkajs (not timed as part of the replay). */
  readonly writeSeconds: number;
  /** From the subscribe message to the first event. */
  readonly timeToFirstEventMs: number;
  /** Events received per second, from the subscribe message to the last event. */
  readonly eventsPerSecond: number;
  readonly received: number;
  readonly complete: boolean;
}

/**
 * Replays `events` events through one graphql-ws subscription `from: { earliest: true }`: the
 * records are written into the stream's topic with kafkajs directly (ce_* headers, as the
 * gateway writes them), then the subscription reads them all back.
 */
export async function measureReplay(
  gateway: GatewayProcess,
  brokers: readonly string[],
  pool: SubscriberPool,
  events: number,
  log: (line: string) => void,
): Promise<ReplayFigures> {
  const stream = STREAMS.replay;
  const kafka = new Kafka({
    clientId: 'bench-replay',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const topic = `${gateway.topicPrefix}${stream}`;
  const batch = 5000;
  const writeStart = wallMs();
  try {
    await inLanes(Math.ceil(events / batch), 4, async (b) => {
      const count = Math.min(batch, events - b * batch);
      await producer.send({
        topic,
        acks: 1,
        messages: Array.from({ length: count }, (_, i) => tickRecord(stream, b * batch + i)),
      });
    });
  } finally {
    await producer.disconnect();
  }
  const writeSeconds = (wallMs() - writeStart) / 1000;
  log(`  wrote ${events} records in ${round(writeSeconds, 1)} s`);

  await pool.reset();
  await pool.connect(1, {
    url: gateway.wsUrl,
    mode: 'graphql-ws',
    authorization: `Bearer ${gateway.adminToken}`,
    // What a client catching up asks for; no send times, so nothing is kept per event.
    query: `subscription Replay { events(streams: ["${stream}"], from: { earliest: true }) {
      id type time cursor ... on BenchreplayTick { data { seq region } } } }`,
  });
  let last = -1;
  let lastChange = Date.now();
  let received = 0;
  // Until all arrived, or nothing more came for 30 s.
  while (received < events && Date.now() - lastChange < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    received = (await pool.counts()).received;
    if (received !== last) {
      last = received;
      lastChange = Date.now();
    }
  }
  const collected = await pool.collect();
  await pool.closeAll();
  const timeToFirst = collected.timeToFirst[0] ?? NaN;
  const subscribedAt = (collected.firstAt ?? NaN) - timeToFirst;
  const seconds = ((collected.lastAt ?? NaN) - subscribedAt) / 1000;
  return {
    events,
    writeSeconds: round(writeSeconds, 1),
    timeToFirstEventMs: round(timeToFirst),
    eventsPerSecond: Math.round(collected.received / seconds),
    received: collected.received,
    complete: collected.received >= events,
  };
}
