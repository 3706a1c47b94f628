/**
 * Resuming over SSE as a browser does: an EventSource (the `eventsource` package, a WHATWG
 * EventSource for Node) subscribes with a GET and no headers of its own (the token in
 * `access_token`, as a browser's EventSource cannot send one), the gateway behind its URL is
 * replaced while events keep being published, and the EventSource reconnects by itself with
 * `Last-Event-ID`. What it received before and after is exactly the published sequence.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assertLogOrder,
  LOG_MODES,
  publishEndMarkers,
  type ReceivedEvent,
} from '../support/clients.js';
import { freePort, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { release, startPublishing } from '../support/publishing.js';
import { waitFor } from '../support/wait-for.js';

const SUBSCRIPTION = `subscription {
  events(streams: ["platform"], from: { earliest: true }) { id type stream partition offset cursor }
}`;

interface Message {
  readonly lastEventId: string;
  readonly event: ReceivedEvent;
}

describe.each(LOG_MODES)('SSE Last-Event-ID on the $name log', (mode) => {
  const gateways: GatewayProcess[] = [];
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'streamgate-sse-'));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test(
    'an EventSource reconnecting to a new instance with Last-Event-ID gets every event once, in order',
    { timeout: 120_000 },
    async () => {
      const brokers = mode.brokers();
      const port = await freePort();
      let adminToken: string | undefined;
      const start = async (topicPrefix?: string) => {
        const gateway = await startGatewayProcess({
          brokers,
          dataDir,
          port,
          // The same deployment: the EventSource's token is valid on the new instance too.
          ...(adminToken ? { adminToken } : {}),
          ...(topicPrefix ? { topicPrefix } : {}),
        });
        gateways.push(gateway);
        return gateway;
      };
      const a = await start();
      adminToken = a.adminToken;
      let current: GatewayProcess | undefined = a;
      const publisher = startPublishing(() => current);
      const url = new URL(`${a.url}/graphql`);
      url.searchParams.set('query', SUBSCRIPTION);
      url.searchParams.set('access_token', a.adminToken);
      const source = new EventSource(url);
      const messages: Message[] = [];
      const reconnects: number[] = [];
      source.addEventListener('next', (message) => {
        const result = JSON.parse(message.data) as { data?: { events: ReceivedEvent } };
        if (result.data)
          messages.push({ lastEventId: message.lastEventId, event: result.data.events });
      });
      source.addEventListener('error', () => reconnects.push(Date.now()));
      try {
        await waitFor(() => messages.length >= 10, { what: 'ten events from the first instance' });
        await publisher.more(5);

        // A new instance takes the address (a deploy); the EventSource reconnects by itself.
        current = undefined;
        await publisher.settled();
        await a.stop();
        const before = messages.length;
        const b = await start(a.topicPrefix);
        current = b;
        await waitFor(() => messages.length > before + 5, {
          timeoutMs: 60_000,
          what: 'events from the new instance',
        });
        await publisher.more(10);
        const published = await publisher.stop();
        const markers = await publishEndMarkers(b, release(9999), 6);
        await waitFor(() => [...markers].every((id) => messages.some((m) => m.event.id === id)), {
          timeoutMs: 60_000,
          what: 'the end markers',
        });
        const received = messages.map((m) => m.event).filter((event) => !markers.has(event.id));

        expect(reconnects.length).toBeGreaterThanOrEqual(1);
        expect(received.map((event) => event.id).sort()).toEqual([...published].sort());
        expect(received).toHaveLength(published.length);
        assertLogOrder(received);
        // Every message's SSE id is the cursor of its event: what the EventSource sent back.
        for (const { lastEventId, event } of messages) expect(lastEventId).toBe(event.cursor);
      } finally {
        source.close();
        await publisher.stop();
      }
    },
  );
});
