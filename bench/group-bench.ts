/**
 * Consumer groups: events/s through one group with 1, 3 and 10 members (each acknowledging
 * every event over its own WebSocket), ack round trip p50/p99, and the pause a member joining
 * a busy group sees before its first event. Prints figures; asserts nothing.
 * `npx tsx bench/group-bench.ts` (embedded log), with KAFKA_BROKERS set: on Kafka.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startGatewayProcess, type GatewayProcess } from '../test/support/gateway-process.js';

const EVENTS = Number(process.env['BENCH_GROUP_EVENTS'] ?? 3000);

function member(gateway: GatewayProcess, group: string, stream: string, rtts: number[]) {
  const client = createClient({
    url: gateway.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
    retryAttempts: 0,
  });
  const state = { received: 0, firstAt: 0 };
  const ack = (cursor: string) => {
    const started = performance.now();
    client.subscribe(
      {
        query: 'mutation($g: String!, $c: String!) { ack(group: $g, cursor: $c) }',
        variables: { g: group, c: cursor },
      },
      {
        next: () => undefined,
        error: () => undefined,
        complete: () => rtts.push(performance.now() - started),
      },
    );
  };
  client.subscribe<{ consume: { cursor: string } }>(
    {
      query:
        'subscription($g: String!, $s: [String!]!) { consume(group: $g, streams: $s, from: { earliest: true }) { cursor } }',
      variables: { g: group, s: [stream] },
    },
    {
      next: (result) => {
        if (!result.data) return;
        if (state.received++ === 0) state.firstAt = performance.now();
        ack(result.data.consume.cursor);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return { state, close: () => client.dispose() };
}

const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[
    Math.min(values.length - 1, Math.floor((values.length * p) / 100))
  ] ?? NaN;

async function main() {
  const brokers = process.env['KAFKA_BROKERS']?.split(',');
  const gateway = await startGatewayProcess({ brokers });
  try {
    const stream = `bench${randomBytes(3)
      .toString('hex')
      .replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
    await gateway.graphql('mutation($i: CreateStreamInput!) { createStream(input: $i) { name } }', {
      i: { name: stream, partitions: 12 },
    });
    await gateway.graphql(
      'mutation($i: RegisterEventTypeInput!) { registerEventType(input: $i) { type } }',
      { i: { type: `${stream}.tick`, stream, schema: { type: 'object' } } },
    );
    for (let done = 0; done < EVENTS; done += 500) {
      await gateway.graphql(
        'mutation($e: [PublishJsonInput!]!) { publishBatch(events: $e) { id } }',
        {
          e: Array.from({ length: 500 }, (_, i) => ({
            type: `${stream}.tick`,
            resourceId: `r${(done + i) % 211}`,
            data: { n: done + i },
          })),
        },
      );
    }
    console.log(
      `log: ${brokers ? 'kafka' : 'embedded'}, ${EVENTS} events over 12 partitions, every event acknowledged`,
    );
    for (const count of [1, 3, 10]) {
      const group = `bench-${count}-${randomBytes(3).toString('hex')}`;
      const rtts: number[] = [];
      const started = performance.now();
      const members = Array.from({ length: count }, () => member(gateway, group, stream, rtts));
      while (rtts.length < EVENTS) await new Promise((r) => setTimeout(r, 20));
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${count} member(s): ${Math.round(EVENTS / seconds)} events/s (join included), ack round trip p50 ${pct(rtts, 50).toFixed(1)} ms, p99 ${pct(rtts, 99).toFixed(1)} ms`,
      );
      await Promise.all(members.map((m) => m.close()));
    }
  } finally {
    await gateway.stop();
  }
}

await main();
