/**
 * Finding 2 of the hardening review, as the attacker does it: one SUBSCRIBE-only tenant token
 * opens socket after socket and sends nothing but `connection_init`, until the process runs out
 * of file descriptors and everyone, the admin included, is cut off. Now sockets are capped per
 * token and per client address, and an authenticated socket with nothing running is closed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { graphqlOk } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { waitFor } from '../support/wait-for.js';

const PER_TOKEN = 5;
const PER_ADDRESS = 30;
const IDLE_MS = 1500;
const PING_MS = 1000; // the least WS_PING_INTERVAL_MS allows

/** A raw graphql-transport-ws socket: what an attacker's script holds. */
interface RawSocket {
  readonly acked: boolean;
  readonly closed: { code: number; reason: string } | undefined;
  send(message: unknown): void;
  close(): void;
}

function openSocket(
  url: string,
  authorization: string | undefined,
  localAddress = '127.0.0.1',
  autoPong = true,
): RawSocket {
  const socket = new WebSocket(url, 'graphql-transport-ws', { localAddress, autoPong });
  const state: { acked: boolean; closed: { code: number; reason: string } | undefined } = {
    acked: false,
    closed: undefined,
  };
  socket.on('open', () => {
    if (authorization !== undefined) {
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } }));
    }
  });
  socket.on('message', (data) => {
    if (JSON.parse(String(data)).type === 'connection_ack') state.acked = true;
  });
  socket.on('close', (code, reason) => (state.closed = { code, reason: String(reason) }));
  socket.on('error', () => undefined);
  return {
    get acked() {
      return state.acked;
    },
    get closed() {
      return state.closed;
    },
    send: (message) => socket.send(JSON.stringify(message)),
    close: () => socket.terminate(),
  };
}

describe('one client holding many WebSockets', () => {
  let gateway: GatewayProcess;
  let tenantToken: string;
  const sockets: RawSocket[] = [];
  const open = (authorization: string | undefined, localAddress?: string, autoPong?: boolean) => {
    const socket = openSocket(gateway.wsUrl, authorization, localAddress, autoPong);
    sockets.push(socket);
    return socket;
  };
  const settled = (socket: RawSocket) => socket.acked || socket.closed !== undefined;

  beforeAll(async () => {
    gateway = await startGatewayProcess({
      env: {
        MAX_WS_CONNECTIONS_PER_TOKEN: String(PER_TOKEN),
        MAX_WS_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS),
        WS_IDLE_TIMEOUT_MS: String(IDLE_MS),
        WS_PING_INTERVAL_MS: String(PING_MS),
      },
    });
    const issued = await graphqlOk<{ issueToken: { token: string } }>(
      gateway,
      'mutation { issueToken(input: { name: "tenant", tenant: "acme", grants: [{ stream: "platform", operations: [SUBSCRIBE] }] }) { token } }',
    );
    tenantToken = issued.issueToken.token;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await gateway?.stop();
  });

  test('one token: the sockets over its cap are refused, the admin still connects, idle ones close', async () => {
    const attack = Array.from({ length: 4 * PER_TOKEN }, () => open(`Bearer ${tenantToken}`));
    await waitFor(() => attack.every(settled), { what: 'every attacking socket to be answered' });
    const held = attack.filter((socket) => socket.acked && socket.closed === undefined);
    const refused = attack.filter((socket) => !socket.acked);
    expect(held).toHaveLength(PER_TOKEN);
    expect(refused).toHaveLength(3 * PER_TOKEN);
    for (const socket of refused) {
      expect(socket.closed).toEqual({ code: 1013, reason: 'Too many connections for this token' });
    }

    // The admin, from the same address, connects and works.
    const admin = open(`Bearer ${gateway.adminToken}`);
    await waitFor(() => settled(admin), { what: 'the admin socket to be answered' });
    expect(admin.acked).toBe(true);
    // One of the attacker's held sockets runs a subscription: it is not idle.
    const busy = held[0]!;
    busy.send({
      id: '1',
      type: 'subscribe',
      payload: { query: 'subscription { events(streams: ["platform"]) { id } }' },
    });

    // The attacker's sockets that run nothing are closed once idle; that frees the token's slots.
    const idle = held.slice(1);
    await waitFor(() => idle.every((socket) => socket.closed !== undefined), {
      what: 'the idle sockets to be closed',
    });
    for (const socket of idle)
      expect(socket.closed).toEqual({ code: 1000, reason: 'Idle timeout' });
    expect(busy.closed).toBeUndefined();
    const again = open(`Bearer ${tenantToken}`);
    await waitFor(() => settled(again), { what: 'a new socket of the token to be answered' });
    expect(again.acked).toBe(true);
  });

  test('one address: the sockets over its cap are closed at once, before any token', async () => {
    // Sockets that never send connection_init, from one address.
    const flood = Array.from({ length: PER_ADDRESS + 5 }, () => open(undefined, '127.0.0.5'));
    await waitFor(() => flood.filter((socket) => socket.closed !== undefined).length >= 5, {
      what: 'the sockets over the address cap to close',
    });
    const refused = flood.filter((socket) => socket.closed?.code === 1013);
    expect(refused).toHaveLength(5);
    expect(refused[0]!.closed!.reason).toBe('Too many connections from your address');
    // Another address is not affected.
    const other = open(`Bearer ${gateway.adminToken}`, '127.0.0.6');
    await waitFor(() => settled(other), { what: 'the other address to be answered' });
    expect(other.acked).toBe(true);
  });

  test('a peer that stops answering pings is cut, though it runs a subscription; one that answers stays', async () => {
    // A client that vanished (or a script that never reads control frames) answers no ping.
    const silent = open(`Bearer ${tenantToken}`, '127.0.0.9', false);
    const answering = open(`Bearer ${tenantToken}`, '127.0.0.9');
    await waitFor(() => silent.acked && answering.acked, { what: 'both sockets to be acked' });
    const subscription = {
      type: 'subscribe',
      payload: { query: 'subscription { events(streams: ["platform"]) { id } }' },
    };
    silent.send({ id: '1', ...subscription });
    answering.send({ id: '1', ...subscription });
    await waitFor(() => silent.closed !== undefined, {
      timeoutMs: 20 * PING_MS,
      what: 'the socket that answers no ping to be cut',
    });
    // Cut without a close frame: the peer is presumed gone.
    expect(silent.closed?.code).toBe(1006);
    expect(answering.closed).toBeUndefined();
  });
});
