/**
 * WebSocket handshakes are taken on a bounded number at a time (WS_HANDSHAKE_CONCURRENCY), the
 * rest in the order they came: a reconnect storm is served in turn rather than all at once.
 * Nobody waiting loses their connection, and clients that connect and send nothing cannot keep
 * the others out.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { platformExample, publishJson } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { waitFor } from '../support/wait-for.js';

interface Client {
  acked: boolean;
  closed: number | undefined;
  readonly ids: string[];
  close(): void;
}

/** A graphql-transport-ws client; with `subscribe`, it subscribes to platform once acked. */
function connect(url: string, authorization: string | undefined): Client {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const client: Client = {
    acked: false,
    closed: undefined,
    ids: [],
    close: () => socket.terminate(),
  };
  socket.on('open', () => {
    if (authorization === undefined) return; // connects and sends nothing
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } }));
  });
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'connection_ack') {
      client.acked = true;
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: 'subscription { events(streams: ["platform"]) { id } }' },
        }),
      );
    } else if (message.type === 'next') client.ids.push(message.payload.data.events.id);
  });
  socket.on('close', (code) => (client.closed = code));
  socket.on('error', () => undefined);
  return client;
}

describe('WebSocket handshakes taken in turn', () => {
  let gateway: GatewayProcess;
  const clients: Client[] = [];
  const open = (authorization: string | undefined) => {
    const client = connect(gateway.wsUrl, authorization);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    gateway = await startGatewayProcess({ env: { WS_HANDSHAKE_CONCURRENCY: '2' } });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await gateway?.stop();
  });

  test('forty clients connecting at once are all served and all subscribed', async () => {
    const storm = Array.from({ length: 40 }, () => open(`Bearer ${gateway.adminToken}`));
    await waitFor(() => storm.every((client) => client.acked), {
      what: 'every client to be acknowledged',
    });
    // Subscribed: an event published once all are acknowledged reaches every one of them
    // (published again until then: a subscribe may still be on its way).
    const sent = new Set<string>();
    await waitFor(
      async () => {
        if (storm.every((client) => client.ids.some((id) => sent.has(id)))) return true;
        const { id } = await publishJson(gateway, {
          type: 'app.created',
          data: platformExample('app.created'),
        });
        sent.add(id);
        return false;
      },
      { what: 'an event to reach every client', intervalMs: 300 },
    );
    expect(storm.every((client) => client.closed === undefined)).toBe(true);
  });

  test('clients that connect and send nothing give up their turn within a second', async () => {
    // Both turns taken by sockets that never send connection_init; graphql-ws closes them with
    // 4408 after 3 s. The admin gets its turn before that: the idle ones gave theirs up.
    const idle = [open(undefined), open(undefined)];
    await waitFor(() => idle.every((client) => client.closed === undefined), {
      what: 'the idle sockets to be open',
    });
    const admin = open(`Bearer ${gateway.adminToken}`);
    await waitFor(() => admin.acked || admin.closed !== undefined, {
      what: 'the admin to be answered',
    });
    expect(admin.acked).toBe(true);
    expect(idle.map((client) => client.closed)).toEqual([undefined, undefined]);
  });
});
