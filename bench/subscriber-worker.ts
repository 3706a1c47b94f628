/**
 * A client process of the benchmark: holds many WebSockets, one per subscriber, and records
 * when each message arrives. Driven by subscriber-pool.ts over IPC.
 *
 * It speaks just enough graphql-transport-ws (connection_init, subscribe, next, ping) to
 * subscribe; the plain `ws` baseline sends the same `next` messages without the handshake. Both
 * cost the client the same per message (one JSON.parse), so the client weighs the same on the
 * shared cores whichever server it measures. The graphql-ws client library would add its own
 * work per message on top, which is the client's cost, not the server's.
 */
import WebSocket from 'ws';
import type { WorkerReply, WorkerRequest } from './subscriber-protocol.js';
import { wallMs } from './figures.js';

interface Subscriber {
  readonly socket: WebSocket;
  /** When the client began to connect (the TCP connect, before the WebSocket handshake). */
  readonly openedAt: number;
  /** When the subscription was asked for (subscribe sent, or the raw socket opened). */
  subscribedAt: number;
  firstAt: number | undefined;
  /** Messages since the last reset. */
  received: number;
}

const subscribers: Subscriber[] = [];
let latencies: number[] = [];
let received = 0;
let firstAt: number | undefined;
let lastAt: number | undefined;
let errors: string[] = [];
let closing = false;

function record(subscriber: Subscriber, payload: unknown): void {
  const now = wallMs();
  received++;
  subscriber.received++;
  subscriber.firstAt ??= now;
  firstAt ??= now;
  lastAt = now;
  const sentAt = (payload as { data?: { events?: { data?: { sentAt?: unknown } } } } | undefined)
    ?.data?.events?.data?.sentAt;
  if (typeof sentAt === 'number') latencies.push(now - sentAt);
}

/** A graphql-ws `next` message that carries no `sentAt`, told without parsing it. */
function isUntimedNext(data: Buffer): boolean {
  return data.includes('"type":"next"') && !data.includes('"sentAt"');
}

function note(error: string): void {
  if (errors.length < 20) errors.push(error.slice(0, 300));
}

function open(request: Extract<WorkerRequest, { op: 'connect' }>): Promise<boolean> {
  return new Promise((resolve) => {
    const raw = request.mode === 'raw';
    const socket = new WebSocket(request.url, raw ? undefined : 'graphql-transport-ws', {
      perMessageDeflate: false,
    });
    const subscriber: Subscriber = {
      socket,
      openedAt: wallMs(),
      subscribedAt: 0,
      firstAt: undefined,
      received: 0,
    };
    subscribers.push(subscriber);
    socket.on('open', () => {
      if (raw) {
        subscriber.subscribedAt = wallMs();
        resolve(true);
      } else {
        socket.send(
          JSON.stringify({
            type: 'connection_init',
            payload: { authorization: request.authorization },
          }),
        );
      }
    });
    socket.on('message', (data: Buffer) => {
      // A later event without a send time (the reconnect storm's) is only counted: parsing each
      // of 20 events/s on 5,000 sockets would make this process the storm's bottleneck. Events
      // timed for latency (the fan-out benchmark's) are parsed as before.
      if (subscriber.firstAt !== undefined && isUntimedNext(data)) {
        received++;
        subscriber.received++;
        lastAt = wallMs();
        return;
      }
      const message = JSON.parse(data.toString()) as { type: string; payload?: unknown };
      switch (message.type) {
        case 'next':
          return record(subscriber, message.payload);
        case 'connection_ack':
          subscriber.subscribedAt = wallMs();
          socket.send(
            JSON.stringify({
              id: '1',
              type: 'subscribe',
              payload: { query: request.query, variables: request.variables },
            }),
          );
          return resolve(true);
        case 'ping':
          return socket.send('{"type":"pong"}');
        case 'error':
          return note(`error: ${JSON.stringify(message.payload)}`);
        case 'complete':
          return note('the server completed a subscription');
      }
    });
    socket.on('error', (error) => {
      note(error.message);
      resolve(false);
    });
    socket.on('close', (code, reason) => {
      if (!closing) note(`closed ${code} ${reason.toString()}`);
      resolve(false);
    });
  });
}

async function connect(request: Extract<WorkerRequest, { op: 'connect' }>): Promise<WorkerReply> {
  closing = false;
  let connected = 0;
  let next = 0;
  // A bounded number of handshakes at once: a burst of thousands overflows the listen backlog.
  const lanes = Array.from({ length: Math.min(request.concurrency, request.count) }, async () => {
    while (next < request.count) {
      next++;
      if (await open(request)) connected++;
    }
  });
  await Promise.all(lanes);
  return { connected, failed: request.count - connected, errors };
}

async function closeAll(): Promise<WorkerReply> {
  closing = true;
  const closed = subscribers.splice(0).map(
    ({ socket }) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1000);
      }),
  );
  await Promise.all(closed);
  return { closed: closed.length };
}

/**
 * BENCH_TIMELINE=1: when this process's clients were acknowledged and got their first event, in
 * ms since its first connect (min, p10, p50, p90, p99, max): shows whether first events trickle
 * in as clients are acknowledged or come all at once.
 */
function printTimeline(): void {
  const began = Math.min(...subscribers.map((s) => s.openedAt));
  const spread = (times: number[]) => {
    if (times.length === 0) return '-';
    const sorted = times.sort((a, b) => a - b);
    return [0, 0.1, 0.5, 0.9, 0.99, 1]
      .map((f) =>
        Math.round(sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]! - began),
      )
      .join(' ');
  };
  const acked = subscribers.filter((s) => s.subscribedAt > 0).map((s) => s.subscribedAt);
  const first = subscribers.flatMap((s) => (s.firstAt === undefined ? [] : [s.firstAt]));
  process.stderr.write(
    `[clients ${process.pid}] ${subscribers.length} clients; ${acked.length} acknowledged at ${spread(acked)}; ` +
      `${first.length} first events at ${spread(first)} (ms: min p10 p50 p90 p99 max)\n`,
  );
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.op) {
    case 'connect':
      return connect(request);
    case 'counts':
      return {
        received,
        live: subscribers.reduce((n, s) => n + (s.received > 0 ? 1 : 0), 0),
        open: subscribers.reduce((n, s) => n + (s.socket.readyState === WebSocket.OPEN ? 1 : 0), 0),
        errors,
      };
    case 'reset':
      latencies = [];
      received = 0;
      firstAt = undefined;
      lastAt = undefined;
      errors = [];
      for (const s of subscribers) s.received = 0;
      return {};
    case 'collect':
      if (process.env['BENCH_TIMELINE']) printTimeline();
      return {
        latencies,
        received,
        firstAt,
        lastAt,
        timeToFirst: subscribers
          .filter((s) => s.firstAt !== undefined)
          .map((s) => s.firstAt! - s.subscribedAt),
        timeToFirstFromOpen: subscribers
          .filter((s) => s.firstAt !== undefined)
          .map((s) => s.firstAt! - s.openedAt),
        errors,
      };
    case 'close':
      return closeAll();
  }
}

process.on('message', (message: { id: number; request: WorkerRequest }) => {
  void handle(message.request).then(
    (reply) => process.send!({ id: message.id, reply }),
    (error: unknown) => process.send!({ id: message.id, reply: { failure: String(error) } }),
  );
});
process.on('disconnect', () => process.exit(0));
