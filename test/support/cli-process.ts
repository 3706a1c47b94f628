import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The command's entry point, run from source through tsx as the gateway is in tests
 * (gateway-process.ts): `npx streamgate` runs its compiled twin in dist/, which may be stale in
 * a working copy. The test of the bin itself runs `npx streamgate`.
 */
const CLI_ARGS = [
  '--import',
  'tsx',
  fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url)),
];

export interface CliOptions {
  /** STREAMGATE_URL. */
  readonly url?: string;
  /** STREAMGATE_TOKEN. */
  readonly token?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Written to stdin, which is then closed. @default nothing (closed at once) */
  readonly input?: string;
  /** A file for stdin (`< file`), also in a pseudo-terminal. */
  readonly stdinFile?: string;
  /**
   * Run in a pseudo-terminal (util-linux `script`), as a person at a terminal would, with
   * this many columns: stdout and stderr both arrive, mixed as on a screen, on `stdout`.
   */
  readonly terminalColumns?: number;
}

export interface CliRun {
  readonly child: ChildProcess;
  /** What it wrote so far. */
  stdout(): string;
  stderr(): string;
  /** The exit code, once it exits. */
  readonly exited: Promise<number | null>;
  /** SIGINT (Ctrl-C), then the exit code. */
  interrupt(): Promise<number | null>;
}

function environment(options: CliOptions): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    TERM: 'xterm-256color',
    ...(options.url === undefined ? {} : { STREAMGATE_URL: options.url }),
    ...(options.token === undefined ? {} : { STREAMGATE_TOKEN: options.token }),
    ...options.env,
  };
}

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/** Starts `streamgate <args>`. */
export function startCli(args: readonly string[], options: CliOptions = {}): CliRun {
  const env = environment(options);
  const command =
    [process.execPath, ...CLI_ARGS, ...args].map(quote).join(' ') +
    (options.stdinFile === undefined ? '' : ` < ${quote(options.stdinFile)}`);
  const child =
    options.terminalColumns === undefined
      ? spawn('sh', ['-c', `exec ${command}`], { cwd: root, env, detached: true })
      : spawn(
          'script',
          ['-qefc', `stty cols ${options.terminalColumns} rows 50; exec ${command}`, '/dev/null'],
          { cwd: root, env, detached: true },
        );
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (options.input !== undefined) child.stdin!.end(options.input);
  else if (options.terminalColumns === undefined && options.stdinFile === undefined)
    child.stdin!.end();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async interrupt() {
      if (child.exitCode === null && child.signalCode === null) {
        // The whole group: under `script`, the command itself is a grandchild.
        process.kill(-child.pid!, 'SIGINT');
      }
      return exited;
    },
  };
}

/** Runs `streamgate <args>` to its end. */
export async function runCli(
  args: readonly string[],
  options: CliOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(args, options);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** The JSON objects of JSON-lines output. */
export function jsonLines(text: string): any[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** Terminal output without colours and carriage returns, to read as a person sees it. */
export function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/**
 * A TCP proxy in front of the gateway, to drop every connection through it at will while the
 * gateway goes on: what a client sees when a network path or a load balancer fails.
 */
export interface DroppingProxy {
  readonly url: string;
  /** Destroys every connection open through the proxy now. */
  dropAll(): number;
  close(): Promise<void>;
}

export async function startDroppingProxy(targetUrl: string): Promise<DroppingProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    dropAll() {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      return count;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
