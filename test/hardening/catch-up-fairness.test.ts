/**
 * Findings 4 (its catch-up part) and 5 of the hardening review, as the attackers do it, on the
 * real broker (catching up reads Kafka):
 * - six tokens whose clients stop reading, each with 100 subscriptions from earliest, held every
 *   catch-up reader; everyone else's replays and resumes failed. Now catch-ups wait their turn
 *   per token and are never refused: another client's replay and resume get every event.
 * - one tenant token with 100 subscriptions × 6 streams from earliest, over other tenants'
 *   history, took the gateway from 281 to 2,326 MiB while it received nothing. Now every one of
 *   them reaches the live tail within the memory bounds.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import {
  eventsSubscription,
  graphqlOk,
  publishBatch,
  subscribeEvents,
  type PublishResult,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { kafkaBrokers } from '../support/kafka.js';
import { scrapeMetric } from '../support/metrics.js';
import { waitFor } from '../support/wait-for.js';

const STREAMS = Array.from({ length: 6 }, (_, i) => `hist-${i}`);
const PER_STREAM = 600;
const PADDING = 'p'.repeat(1024);

/** A graphql-transport-ws socket of an attacker's script: it subscribes, then reads nothing. */
function stalledSubscriber(gateway: GatewayProcess, token: string, subscriptions: number) {
  const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws');
  let messages = 0;
  socket.on('open', () =>
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }),
    ),
  );
  socket.on('error', () => undefined);
  const ready = new Promise<void>((resolve) =>
    socket.on('message', () => {
      if (++messages > 1) return;
      for (let i = 0; i < subscriptions; i++) {
        const payload = {
          query: eventsSubscription(),
          variables: { streams: STREAMS, from: { earliest: true } },
        };
        socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload }));
      }
      resolve();
    }),
  );
  return {
    ready,
    /** Messages after connection_ack. */
    received: () => Math.max(0, messages - 1),
    stopReading: () => (socket as unknown as { _socket: { pause(): void } })._socket.pause(),
    close: () => socket.terminate(),
  };
}

const metric = scrapeMetric;

describe('catching up with attackers around', () => {
  let gateway: GatewayProcess;
  /** The history of the first stream, as its publishes answered. */
  let firstStream: PublishResult[] = [];
  const closers: (() => void)[] = [];

  const issue = async (input: Record<string, unknown>) =>
    (
      await graphqlOk<{ issueToken: { token: string } }>(
        gateway,
        'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
        {
          input: {
            name: 'hist',
            grants: [{ stream: 'hist-*', operations: ['SUBSCRIBE'] }],
            ...input,
          },
        },
      )
    ).issueToken.token;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ brokers: kafkaBrokers() });
    for (const stream of STREAMS) {
      const type = `${stream.replace('-', '')}.noted`;
      await graphqlOk(
        gateway,
        `mutation { createStream(input: { name: "${stream}", partitions: 6 }) { name }
          registerEventType(input: { type: "${type}", stream: "${stream}", schema: { type: "object" } }) { type } }`,
      );
      for (let sent = 0; sent < PER_STREAM; sent += 200) {
        const results = await publishBatch(
          gateway,
          Array.from({ length: 200 }, (_, i) => ({
            type,
            resourceId: `r${(sent + i) % 60}`,
            data: { n: sent + i, padding: PADDING },
          })),
        );
        if (stream === STREAMS[0]) firstStream.push(...results);
      }
    }
  }, 180_000);
  afterAll(async () => {
    for (const close of closers) close();
    await gateway?.stop();
  });

  test(
    'six tokens with 100 stalled subscriptions each: another client replays and resumes in full',
    { timeout: 240_000 },
    async () => {
      for (let t = 0; t < 6; t++) {
        const attacker = stalledSubscriber(gateway, await issue({}), 100);
        closers.push(attacker.close);
        await attacker.ready;
        attacker.stopReading();
      }
      await waitFor(async () => (await metric(gateway, 'streamgate_subscriptions')) >= 600, {
        timeoutMs: 60_000,
        what: 'the attackers’ 600 subscriptions',
      });
      expect(await metric(gateway, 'streamgate_subscriptions_catching_up')).toBeGreaterThan(0);

      const reader = await issue({});
      const ids = firstStream.map((result) => result.id).sort();
      const replay = subscribeEvents(gateway, 'graphql-ws', {
        streams: [STREAMS[0]!],
        from: { earliest: true },
        token: reader,
      });
      await waitFor(() => replay.events.length >= PER_STREAM, {
        timeoutMs: 120_000,
        what: `the replay's ${PER_STREAM} events`,
      });
      expect(replay.errors).toEqual([]);
      expect(replay.events.map((event) => event.id).sort()).toEqual(ids);

      // A resume from the middle gets exactly what followed its cursor.
      const middle = replay.events[PER_STREAM / 2 - 1]!;
      const rest = replay.events.slice(PER_STREAM / 2).map((event) => event.id);
      replay.close();
      const resumed = subscribeEvents(gateway, 'graphql-sse', {
        streams: [STREAMS[0]!],
        from: { after: middle.cursor },
        token: reader,
      });
      await waitFor(() => resumed.events.length >= rest.length, {
        timeoutMs: 120_000,
        what: `the resume's ${rest.length} events`,
      });
      expect(resumed.errors).toEqual([]);
      expect(resumed.events.map((event) => event.id).sort()).toEqual([...rest].sort());
      resumed.close();
    },
  );

  test(
    'a tenant token’s 100 subscriptions × 6 streams from earliest reach the tail, within the memory bounds',
    { timeout: 240_000 },
    async () => {
      for (const close of closers.splice(0)) close();
      await waitFor(async () => (await metric(gateway, 'streamgate_subscriptions')) === 0, {
        timeoutMs: 30_000,
        what: 'the stalled subscriptions to end',
      });
      const rssBefore = await metric(gateway, 'streamgate_process_resident_memory_bytes');
      let rssPeak = rssBefore;
      const tenant = stalledSubscriber(gateway, await issue({ tenant: 'acme' }), 100);
      closers.push(tenant.close);
      await tenant.ready;
      await waitFor(async () => (await metric(gateway, 'streamgate_subscriptions')) >= 100, {
        timeoutMs: 60_000,
        what: 'the tenant’s 100 subscriptions',
      });
      await waitFor(
        async () => {
          const rss = await metric(gateway, 'streamgate_process_resident_memory_bytes');
          rssPeak = Math.max(rssPeak, rss);
          return (await metric(gateway, 'streamgate_subscriptions_catching_up')) === 0;
        },
        { timeoutMs: 180_000, intervalMs: 250, what: 'every subscription to reach the tail' },
      );
      // None of the history is the tenant's: it saw nothing, and its subscriptions go on.
      expect(tenant.received()).toBe(0);
      expect(await metric(gateway, 'streamgate_subscriptions')).toBe(100);
      const growthMiB = Math.round((rssPeak - rssBefore) / 2 ** 20);
      console.info(
        `tenant catch-up: 100 × 6 streams over ${STREAMS.length * PER_STREAM} events; RSS ${Math.round(rssBefore / 2 ** 20)} MiB, peak +${growthMiB} MiB`,
      );
      // Before: +2,045 MiB. The bounds: catch-up fetches (8 at once), their shared cache and the
      // hot window, whatever the number of subscriptions.
      expect(growthMiB).toBeLessThan(300);
    },
  );
});
