import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface GatewayProcessOptions {
  /** Kafka bootstrap brokers; undefined runs the gateway on the embedded log. */
  readonly brokers?: readonly string[];
  /** The data directory; a fresh temporary one by default (shared to restart on the same data). */
  readonly dataDir?: string;
  /** Topic prefix, so tests on a shared broker never see each other's registry. @default random */
  readonly topicPrefix?: string;
  readonly adminToken?: string;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * What start-up waits for: `/ready` answering 200, or only `/health` (the process serves,
   * for tests of a gateway that reports itself not ready).
   * @default 'ready'
   */
  readonly waitFor?: 'ready' | 'health';
}

export interface GatewayProcess {
  readonly url: string;
  readonly wsUrl: string;
  readonly adminToken: string;
  readonly dataDir: string;
  readonly topicPrefix: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** POSTs a GraphQL operation with the given (default: admin) token; returns the parsed body. */
  graphql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ data?: T; errors?: any[] }>;
  /** SIGTERM, and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A free TCP port on loopback (closed again at once; the gateway binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the gateway as a user would (`tsx src/main.ts`) and waits until /ready answers 200. */
export async function startGatewayProcess(
  options: GatewayProcessOptions = {},
): Promise<GatewayProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'streamgate-')));
  const adminToken = options.adminToken ?? `admin-${randomBytes(12).toString('hex')}`;
  const topicPrefix = options.topicPrefix ?? `t${randomBytes(4).toString('hex')}.`;
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    PORT: String(port),
    HOST: '127.0.0.1',
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'warn',
    ...(options.brokers
      ? { KAFKA_BROKERS: options.brokers.join(','), KAFKA_TOPIC_PREFIX: topicPrefix }
      : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`the gateway exited with ${child.exitCode}: ${output.slice(-2000)}`);
        const path = options.waitFor === 'health' ? '/health' : '/ready';
        const response = await fetch(`${url}${path}`).catch(() => undefined);
        return response?.status === 200;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 100,
        what: options.waitFor === 'health' ? 'the gateway to serve' : 'the gateway to be ready',
      },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    adminToken,
    dataDir,
    topicPrefix,
    child,
    output: () => output,
    async graphql(query, variables, token = adminToken) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: any; errors?: any[] };
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
