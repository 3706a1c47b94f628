import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerReply, WorkerRequest } from './subscriber-protocol.js';

export interface PoolCounts {
  readonly received: number;
  readonly live: number;
  readonly open: number;
  readonly errors: string[];
}

export interface PoolCollection {
  readonly latencies: number[];
  readonly received: number;
  readonly firstAt: number | undefined;
  readonly lastAt: number | undefined;
  readonly timeToFirst: number[];
  readonly timeToFirstFromOpen: number[];
  readonly errors: string[];
}

export interface SubscriberPool {
  readonly pids: readonly number[];
  /** Opens `count` sockets spread over the workers; resolves once each opened or failed. */
  connect(
    count: number,
    options: Omit<Extract<WorkerRequest, { op: 'connect' }>, 'op' | 'count' | 'concurrency'>,
  ): Promise<{ connected: number; failed: number; errors: string[] }>;
  counts(): Promise<PoolCounts>;
  reset(): Promise<void>;
  collect(): Promise<PoolCollection>;
  closeAll(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Subscriber sockets spread over `workers` client processes (one socket per subscriber), so the
 * client side gets cores of its own rather than competing inside the gateway's event loop.
 */
export async function startSubscriberPool(workers = 2, concurrency = 100): Promise<SubscriberPool> {
  const script = fileURLToPath(new URL('./subscriber-worker.ts', import.meta.url));
  const children: ChildProcess[] = Array.from({ length: workers }, () =>
    fork(script, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  let nextId = 0;
  const waiting = new Map<number, (reply: WorkerReply) => void>();
  for (const child of children) {
    child.on('message', (message: { id: number; reply: WorkerReply }) => {
      waiting.get(message.id)?.(message.reply);
      waiting.delete(message.id);
    });
  }
  const ask = (child: ChildProcess, request: WorkerRequest) =>
    new Promise<WorkerReply>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (reply) =>
        reply.failure ? reject(new Error(reply.failure)) : resolve(reply),
      );
      child.send({ id, request });
    });
  const askAll = (request: WorkerRequest) =>
    Promise.all(children.map((child) => ask(child, request)));

  return {
    pids: children.map((child) => child.pid!),
    async connect(count, options) {
      const share = Math.ceil(count / children.length);
      const replies = await Promise.all(
        children.map((child, i) => {
          const mine = Math.max(0, Math.min(share, count - i * share));
          return mine === 0
            ? Promise.resolve({ connected: 0, failed: 0, errors: [] } as WorkerReply)
            : ask(child, { op: 'connect', count: mine, concurrency, ...options });
        }),
      );
      return {
        connected: replies.reduce((n, r) => n + (r.connected ?? 0), 0),
        failed: replies.reduce((n, r) => n + (r.failed ?? 0), 0),
        errors: replies.flatMap((r) => r.errors ?? []),
      };
    },
    async counts() {
      const replies = await askAll({ op: 'counts' });
      return {
        received: replies.reduce((n, r) => n + (r.received ?? 0), 0),
        live: replies.reduce((n, r) => n + (r.live ?? 0), 0),
        open: replies.reduce((n, r) => n + (r.open ?? 0), 0),
        errors: replies.flatMap((r) => r.errors ?? []),
      };
    },
    async reset() {
      await askAll({ op: 'reset' });
    },
    async collect() {
      const replies = await askAll({ op: 'collect' });
      const defined = (values: (number | undefined)[]) =>
        values.filter((v): v is number => v !== undefined);
      const firsts = defined(replies.map((r) => r.firstAt));
      const lasts = defined(replies.map((r) => r.lastAt));
      return {
        latencies: replies.flatMap((r) => r.latencies ?? []),
        received: replies.reduce((n, r) => n + (r.received ?? 0), 0),
        firstAt: firsts.length ? Math.min(...firsts) : undefined,
        lastAt: lasts.length ? Math.max(...lasts) : undefined,
        timeToFirst: replies.flatMap((r) => r.timeToFirst ?? []),
        timeToFirstFromOpen: replies.flatMap((r) => r.timeToFirstFromOpen ?? []),
        errors: replies.flatMap((r) => r.errors ?? []),
      };
    },
    async closeAll() {
      await askAll({ op: 'close' });
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.disconnect();
            }),
        ),
      );
    },
  };
}
