import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Temp folders of test brokers start with this, so stale ones can be found. */
export const WORK_DIR_PREFIX = 'streamgate-kafka-';
const OWNER_FILE = 'owner.json';

interface Owner {
  /** The Node process that started the broker. */
  readonly ownerPid: number;
  readonly brokerPid?: number;
}

export function writeOwner(workDir: string, owner: Owner): Promise<void> {
  return writeFile(join(workDir, OWNER_FILE), JSON.stringify(owner));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the work folders of brokers whose Node process died without cleaning up (a killed
 * test run), and kills such a broker if the watchdog could not. Folders of live owners, and
 * folders still being set up (no owner file yet), are left alone.
 */
export async function removeStaleBrokers(parentDir: string): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(parentDir)).filter((name) => name.startsWith(WORK_DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const workDir = join(parentDir, name);
    let owner: Owner;
    try {
      owner = JSON.parse(await readFile(join(workDir, OWNER_FILE), 'utf8')) as Owner;
    } catch {
      continue;
    }
    if (isAlive(owner.ownerPid)) continue;
    if (owner.brokerPid !== undefined && (await isBrokerOf(owner.brokerPid, workDir))) {
      try {
        process.kill(owner.brokerPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Guards against a recycled pid: only a JVM whose command line names this folder is ours. */
async function isBrokerOf(pid: number, workDir: string): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(workDir);
  } catch {
    return false;
  }
}
