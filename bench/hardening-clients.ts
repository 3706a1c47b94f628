/**
 * What the hardening figures need of a client: metrics scrapes, raw graphql-transport-ws sockets
 * (an attacker's script holds those, not a well-behaved client library) and SSE requests.
 */
import WebSocket from 'ws';
import { graphqlOk } from '../test/support/clients.js';
import type { GatewayProcess } from '../test/support/gateway-process.js';
import { postSse, scrapeMetric } from '../test/support/metrics.js';

export { scrapeMetric as metric } from '../test/support/metrics.js';

export const MIB = 1024 * 1024;
export const mib = (bytes: number) => Math.round(bytes / MIB);
export const rssMiB = async (gateway: GatewayProcess) =>
  mib(await scrapeMetric(gateway, 'streamgate_process_resident_memory_bytes'));

/** The gateway's longest event-loop stall while `work` runs, in ms (10 ms resolution). */
export async function stallDuring<T>(
  gateway: GatewayProcess,
  work: () => Promise<T>,
): Promise<{ result: T; stallMs: number }> {
  await scrapeMetric(gateway, 'streamgate_nodejs_eventloop_lag_max_seconds'); // resets the maximum
  const result = await work();
  const lag = await scrapeMetric(gateway, 'streamgate_nodejs_eventloop_lag_max_seconds');
  return { result, stallMs: Math.round(lag * 1000) };
}

export async function issue(
  gateway: GatewayProcess,
  input: Record<string, unknown>,
): Promise<{ id: string; token: string }> {
  const data = await graphqlOk<{ issueToken: { id: string; token: string } }>(
    gateway,
    'mutation($input: IssueTokenInput!) { issueToken(input: $input) { id token } }',
    { input: { name: 'bench', ...input } },
  );
  return data.issueToken;
}

export interface RawSocket {
  readonly socket: WebSocket;
  acked: boolean;
  closed: { code: number; reason: string } | undefined;
  messages: number;
  subscribe(id: string, query: string, variables?: Record<string, unknown>): void;
  /** Stops reading from the TCP connection: the gateway's writes back up, as a stuck client's do. */
  stopReading(): void;
}

export function rawSocket(
  gateway: GatewayProcess,
  authorization: string | undefined,
  options: { localAddress?: string; autoPong?: boolean } = {},
): RawSocket {
  const socket = new WebSocket(gateway.wsUrl, 'graphql-transport-ws', {
    localAddress: options.localAddress ?? '127.0.0.1',
    autoPong: options.autoPong ?? true,
  });
  const raw: RawSocket = {
    socket,
    acked: false,
    closed: undefined,
    messages: 0,
    subscribe: (id, query, variables) =>
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
    stopReading: () => (socket as unknown as { _socket: { pause(): void } })._socket.pause(),
  };
  socket.on('open', () => {
    if (authorization !== undefined)
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } }));
  });
  socket.on('message', (data) => {
    raw.messages++;
    if (raw.messages === 1 && JSON.parse(String(data)).type === 'connection_ack') raw.acked = true;
  });
  socket.on('close', (code, reason) => (raw.closed = { code, reason: String(reason) }));
  socket.on('error', () => undefined);
  return raw;
}

/** Opens an SSE subscription; resolves with the error codes once the gateway ends the stream. */
export async function sseRefusal(gateway: GatewayProcess, body: string): Promise<string[]> {
  const text = await (await postSse(gateway, body)).text();
  return [...text.matchAll(/"code":"([A-Z_]+)"/g)].map((match) => match[1]!);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
