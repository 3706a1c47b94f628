import { randomBytes } from 'node:crypto';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LogError, LogErrorCode } from '../event-log.js';
import type { EmbeddedLogLogger } from './options.js';
import { readTextIfPresent } from './read-if-present.js';

export const LOCK_FILE = 'LOCK';

/** Data directories this process holds: a second log on one of them is refused at once. */
const heldByThisProcess = new Set<string>();

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Claims the data directory for this log with a LOCK file holding our pid: two writers on one
 * directory would interleave frames and corrupt every segment. A lock whose process is gone (a
 * crash, or a container restarted with the same pid) is taken over with a warning.
 *
 * The LOCK appears with its pid already in it (written to a file of our own, then hard-linked
 * into place, which fails when LOCK exists), so no one ever reads a LOCK without its holder and
 * takes it for a stale one.
 */
export async function lockDataDir(
  dataDir: string,
  logger: EmbeddedLogLogger,
): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  if (heldByThisProcess.has(dir)) {
    throw new LogError(
      LogErrorCode.Unavailable,
      `embedded log: ${dir} is already open in this process`,
      {
        retriable: false,
      },
    );
  }
  // Reserved at once, so a second open in this process meanwhile is refused above.
  heldByThisProcess.add(dir);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await linkLock(path)) {
        return {
          release: async () => {
            heldByThisProcess.delete(dir);
            await rm(path, { force: true });
          },
        };
      }
      const holder = await lockHolder(path);
      if (holder === undefined) continue; // released meanwhile: try again
      if (holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new LogError(
          LogErrorCode.Unavailable,
          `embedded log: ${dir} is in use by process ${holder} (remove ${path} if that is not a Streamgate)`,
          { retriable: false },
        );
      }
      logger.warn({ path, holder }, 'embedded log: taking over the lock of a process that is gone');
      await setAsideStaleLock(path, holder);
    }
    throw new LogError(LogErrorCode.Unavailable, `embedded log: could not lock ${dir}`);
  } catch (error) {
    heldByThisProcess.delete(dir);
    throw error;
  }
}

/** Creates LOCK holding our pid, atomically; false when a LOCK exists. */
async function linkLock(path: string): Promise<boolean> {
  const mine = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(mine, `${process.pid}\n`, { flag: 'wx' });
  try {
    await link(mine, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await rm(mine, { force: true });
  }
}

/** The pid in LOCK; undefined when there is no LOCK. A LOCK without a pid is held by nobody (-1). */
async function lockHolder(path: string): Promise<number | undefined> {
  const text = await readTextIfPresent(path);
  if (text === undefined) return undefined;
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : -1;
}

/**
 * Moves the stale LOCK of `holder` out of the way. Renamed to a name of our own first, so that
 * of two processes taking over at once only one removes it; if what was moved is no longer that
 * stale lock (another process took over meanwhile), it is put back.
 */
async function setAsideStaleLock(path: string, holder: number): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await lockHolder(aside)) !== holder) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
