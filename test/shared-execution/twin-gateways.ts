/**
 * Two gateways over one embedded log (twin-gateways-main.ts, run as a child process): one
 * executes once per group, the other executes every subscription alone. What a client receives
 * from one it must receive from the other: that is how the tests show sharing changes nothing a
 * subscriber can see.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SharedExecutionStats } from '../../src/graphql/shared-execution.js';
import type { GatewayProcess } from '../support/gateway-process.js';

export interface TwinGateways {
  /** Executes once per group. */
  readonly shared: GatewayProcess;
  /** Executes every subscription alone. */
  readonly alone: GatewayProcess;
  /** The figures of the sharing gateway. */
  stats(): Promise<SharedExecutionStats>;
  close(): Promise<void>;
}

interface Ready {
  readonly shared: string;
  readonly alone: string;
  readonly adminToken: string;
}

export async function startTwinGateways(): Promise<TwinGateways> {
  const child = fork(fileURLToPath(new URL('./twin-gateways-main.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the twin gateways exited with ${code}`)));
    child.on('message', (message: { ready?: Ready }) => {
      if (message.ready) resolve(message.ready);
    });
  });
  let nextId = 0;
  const waiting = new Map<number, (stats: SharedExecutionStats) => void>();
  child.on('message', (message: { id?: number; stats?: SharedExecutionStats }) => {
    if (message.id !== undefined) waiting.get(message.id)?.(message.stats!);
    waiting.delete(message.id!);
  });
  return {
    shared: asClient(ready.shared, ready.adminToken),
    alone: asClient(ready.alone, ready.adminToken),
    stats: () =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        child.send({ id, stats: true });
      }),
    async close() {
      child.disconnect();
      await exited;
    },
  };
}

/** A gateway as the client helpers of test/support/clients.ts take it. */
function asClient(url: string, adminToken: string): GatewayProcess {
  return {
    url,
    wsUrl: `${url.replace('http', 'ws')}/graphql`,
    adminToken,
    async graphql(query: string, variables?: Record<string, unknown>, token = adminToken) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
  } as unknown as GatewayProcess;
}
