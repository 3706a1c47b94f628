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
  /** The port to serve on (a restart on the same address, as behind one load balancer). @default a free one */
  readonly port?: number;
  /** The admin token; `'generated'` leaves GATEWAY_ADMIN_TOKEN unset and reads the one printed. */
  readonly adminToken?: string | 'generated';
  /**
   * How the gateway is started. @default `node --import tsx src/main.ts` in the project root
   */
  readonly launch?: {
    readonly command: string;
    readonly args: readonly string[];
    readonly cwd: string;
    /**
     * Signals go to the command's whole process group, as a terminal's Ctrl-C does: npm does not
     * pass a SIGTERM on to the script it runs. @default false
     */
    readonly processGroup?: boolean;
  };
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

/** The gateway process ended before it served: `code` and `output` say why. */
export class GatewayExitedError extends Error {
  constructor(
    readonly code: number | null,
    readonly output: string,
  ) {
    super(`the gateway exited with ${code}: ${output.slice(-2000)}`);
    this.name = 'GatewayExitedError';
  }
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
  const generated = options.adminToken === 'generated';
  let adminToken = generated
    ? ''
    : (options.adminToken ?? `admin-${randomBytes(12).toString('hex')}`);
  const topicPrefix = options.topicPrefix ?? `t${randomBytes(4).toString('hex')}.`;
  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    PORT: String(port),
    HOST: '127.0.0.1',
    GATEWAY_DATA_DIR: dataDir,
    ...(generated ? {} : { GATEWAY_ADMIN_TOKEN: adminToken }),
    LOG_LEVEL: 'warn',
    ...(options.brokers
      ? { KAFKA_BROKERS: options.brokers.join(','), KAFKA_TOPIC_PREFIX: topicPrefix }
      : {}),
    ...options.env,
  };
  const launch = options.launch ?? {
    command: process.execPath,
    args: ['--import', 'tsx', join(root, 'src/main.ts')],
    cwd: root,
  };
  const child = spawn(launch.command, launch.args, {
    cwd: launch.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: launch.processGroup === true,
  });
  const signal = (name: NodeJS.Signals) => {
    if (launch.processGroup && child.pid !== undefined) process.kill(-child.pid, name);
    else child.kill(name);
  };
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    const serving = waitFor(
      async () => {
        // Exited: stop polling; `exitedEarly` below has rejected already.
        if (child.exitCode !== null || child.signalCode !== null) return true;
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
    // A gateway that exits during start-up (a refused setting, damaged data) fails at once, with
    // its exit code and what it wrote, rather than after the whole wait.
    const exitedEarly = exited.then((code) => {
      throw new GatewayExitedError(code, output);
    });
    serving.catch(() => undefined);
    exitedEarly.catch(() => undefined);
    await Promise.race([serving, exitedEarly]);
    if (generated) {
      const printed = /Your admin token[^\n]*\n\s*(\S+)/.exec(output)?.[1];
      if (!printed) throw new Error(`the gateway printed no admin token: ${output.slice(-2000)}`);
      adminToken = printed;
    }
  } catch (error) {
    signal('SIGKILL');
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
    async stop(name = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) signal(name);
      const code = await exited;
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
