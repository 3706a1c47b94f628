import { existsSync } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LogDamage } from '../event-log.js';

/**
 * Damage is found once: the open that finds it repairs the segment, and the next open sees a
 * clean file. So each repair leaves a report next to the file it set aside
 * (`<quarantined file>.json`), and every open reads them back: the damage stays reported, across
 * any number of restarts, until the operator moves the set-aside file away. Without that, a
 * gateway that refuses to start on damage would start at its next restart as if nothing was lost.
 */
const REPORT_SUFFIX = '.json';

/** Writes the report of one repair, durably, before the repaired segment replaces the damaged one. */
export async function writeDamageReport(damage: LogDamage): Promise<void> {
  const handle = await open(`${damage.quarantinedAs}${REPORT_SUFFIX}`, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(damage)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The reports under `<quarantineDir>/<topic>/<partition>/` whose set-aside file is still there.
 * Paths come from where the files are now (`topicsDir` holds the segments), not from the report.
 */
export async function readDamageReports(
  quarantineDir: string,
  topicsDir: string,
): Promise<LogDamage[]> {
  const found: LogDamage[] = [];
  for (const topic of await entries(quarantineDir)) {
    for (const partition of await entries(join(quarantineDir, topic))) {
      const dir = join(quarantineDir, topic, partition);
      for (const name of await entries(dir)) {
        if (!name.endsWith(REPORT_SUFFIX)) continue;
        const report = join(dir, name);
        const quarantinedAs = report.slice(0, -REPORT_SUFFIX.length);
        if (!existsSync(quarantinedAs)) continue;
        // <base>.log.<time> was set aside from <topicsDir>/<topic>/<partition>/<base>.log
        const segment = join(
          topicsDir,
          topic,
          partition,
          basename(quarantinedAs).replace(/(\.log)\..*$/, '$1'),
        );
        const where = { topic, partition: Number(partition), quarantinedAs, segment };
        found.push({ ...(await readLosses(report)), ...where });
      }
    }
  }
  return found;
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw error;
  });
}

/** What a report says was lost; a report that cannot be read (cut short, edited) says "unknown". */
async function readLosses(
  report: string,
): Promise<Pick<LogDamage, 'lostOffsets' | 'damagedBytes'>> {
  try {
    const { lostOffsets, damagedBytes } = JSON.parse(await readFile(report, 'utf8')) as LogDamage;
    if (Array.isArray(lostOffsets) && typeof damagedBytes === 'number') {
      return { lostOffsets, damagedBytes };
    }
  } catch {
    // unreadable: reported as damage all the same
  }
  return { lostOffsets: [], damagedBytes: 0 };
}
