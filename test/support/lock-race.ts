/**
 * Processes racing for one data directory's lock at the same instant (issue 15, finding 11):
 * each busy-waits for the start time, takes the lock, says `won`, `refused` or `error`, and holds
 * on until released. Used by test/hardening/data-dir-lock.test.ts and bench/hardening-parts.ts.
 */
import { spawn } from 'node:child_process';

const CONTENDER = `
const { lockDataDir } = await import(process.env.LOCK_MODULE);
while (Date.now() < Number(process.env.START_AT)) {}
let outcome;
try { await lockDataDir(process.env.DIR, { warn() {} }); outcome = 'won'; }
catch (error) { outcome = /in use by process/.test(error.message) ? 'refused' : 'error ' + error.message; }
process.stdout.write(outcome + '\\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

export interface LockRace {
  /** What each contender said, in start order. */
  readonly outcomes: string[];
  /** Lets every contender exit (the winner releases the lock as it goes). */
  release(): void;
}

/**
 * `contenders` processes take the lock of `dir` at `Date.now() + startDelayMs`. `lockModule` is
 * data-dir-lock's path: the TypeScript source needs `nodeArgs: ['--import', 'tsx']`.
 */
export async function raceForLock(options: {
  readonly lockModule: string;
  readonly dir: string;
  readonly contenders: number;
  readonly startDelayMs: number;
  readonly nodeArgs?: readonly string[];
}): Promise<LockRace> {
  const startAt = Date.now() + options.startDelayMs;
  const children = Array.from({ length: options.contenders }, () =>
    spawn(process.execPath, [...(options.nodeArgs ?? []), '--input-type=module', '-e', CONTENDER], {
      env: {
        ...process.env,
        LOCK_MODULE: options.lockModule,
        DIR: options.dir,
        START_AT: String(startAt),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outcomes = await Promise.all(
    children.map(
      (child) =>
        new Promise<string>((resolve) => {
          let out = '';
          child.stdout.on('data', (chunk) => {
            out += chunk;
            if (out.includes('\n')) resolve(out.trim());
          });
          child.once('exit', () => resolve(out.trim() || 'exited'));
        }),
    ),
  );
  return { outcomes, release: () => children.forEach((child) => child.stdin.end()) };
}
