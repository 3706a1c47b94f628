import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { lastLines } from './kafka-setup-error.js';

export interface BrokerProcessSpec {
  readonly java: string;
  /** JVM options and the main class with its arguments. */
  readonly args: readonly string[];
  readonly cwd: string;
  /** stdout and stderr are appended here (the broker logs to stdout). */
  readonly logFile: string;
  /** How long the watchdog gives the broker between SIGTERM and SIGKILL. */
  readonly killAfterMs: number;
}

export interface BrokerProcess {
  readonly pid: number;
  /** Settles when the JVM has exited, with its exit code or signal; never rejects. */
  readonly exited: Promise<string>;
  readonly hasExited: () => boolean;
  /** SIGTERM, then SIGKILL when the JVM is still there after `timeoutMs`. */
  stop(options: { timeoutMs: number; kill?: boolean }): Promise<void>;
  /** Synchronous last resort for `process.on('exit')`. */
  killNow(): void;
}

/**
 * The shell watchdog: it blocks reading a pipe from this Node process, so when this process
 * dies in any way (even SIGKILL, when no exit hook runs) the read ends and it takes the JVM
 * down. It lives in its own process group, so Ctrl-C in a terminal does not kill it first.
 */
const WATCHDOG_SCRIPT = [
  'while read -r _; do :; done',
  'kill -TERM "$1" 2>/dev/null || exit 0',
  // Poll rather than sleep blindly, so a pid recycled after the JVM exits is never killed.
  'i=0; while kill -0 "$1" 2>/dev/null; do',
  '  i=$((i + 1)); if [ "$i" -gt "$2" ]; then kill -KILL "$1" 2>/dev/null; exit 0; fi; sleep 1',
  'done',
].join('\n');

export function spawnBroker(spec: BrokerProcessSpec): BrokerProcess {
  const out = openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    // Detached: a terminal's Ctrl-C reaches Node, which stops the broker in order (clients
    // first, then the broker), instead of the JVM and Node racing to shut down.
    child = spawn(spec.java, spec.args, {
      cwd: spec.cwd,
      stdio: ['ignore', out, out],
      detached: true,
    });
  } finally {
    closeSync(out);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.java}`);

  let exitDescription: string | undefined;
  const exited = new Promise<string>((resolve) => {
    const done = (description: string) => {
      exitDescription ??= description;
      resolve(exitDescription);
    };
    child.once('exit', (code, signal) => done(signal ? `signal ${signal}` : `exit code ${code}`));
    child.once('error', (error) => done(error.message));
  });

  const watchdog = spawn(
    'sh',
    [
      '-c',
      WATCHDOG_SCRIPT,
      'kafka-watchdog',
      String(pid),
      String(Math.ceil(spec.killAfterMs / 1000)),
    ],
    { stdio: ['pipe', 'ignore', 'ignore'], detached: true },
  );
  // Neither the watchdog nor its pipe may keep a finished Node process alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  watchdog.on('error', () => {});
  const stopWatchdog = () => {
    if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGKILL');
  };
  void exited.then(stopWatchdog);

  const hasExited = () => exitDescription !== undefined;
  return {
    pid,
    exited,
    hasExited,
    async stop({ timeoutMs, kill = false }) {
      if (hasExited()) return;
      child.kill(kill ? 'SIGKILL' : 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
    killNow() {
      if (!hasExited()) child.kill('SIGKILL');
      stopWatchdog();
    },
  };
}

/** The last lines of the broker log, for error messages. */
export async function brokerLogTail(logFile: string, count = 40): Promise<string> {
  try {
    return lastLines(await readFile(logFile, 'utf8'), count);
  } catch {
    return '(no broker log)';
  }
}
