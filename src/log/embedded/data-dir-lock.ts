import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LogError, LogErrorCode } from '../event-log.js';
import type { EmbeddedLogLogger } from './options.js';

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
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      heldByThisProcess.add(dir);
      return {
        release: async () => {
          heldByThisProcess.delete(dir);
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new LogError(
        LogErrorCode.Unavailable,
        `embedded log: ${dir} is in use by process ${holder} (remove ${path} if that is not a Streamgate)`,
        { retriable: false },
      );
    }
    logger.warn({ path, holder }, 'embedded log: taking over the lock of a process that is gone');
    await rm(path, { force: true });
  }
  throw new LogError(LogErrorCode.Unavailable, `embedded log: could not lock ${dir}`);
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
