/**
 * Finding 11 of the hardening review: two processes taking the data directory's lock in the
 * same millisecond both got it in 32 of 300 trials (the LOCK file existed before its pid was in
 * it, and an empty LOCK looked stale). Many processes now race for one directory, released at
 * the same instant: exactly one wins, every time.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { lockDataDir } from '../../src/log/embedded/data-dir-lock.js';
import { raceForLock } from '../support/lock-race.js';

const lockModule = fileURLToPath(
  new URL('../../src/log/embedded/data-dir-lock.ts', import.meta.url),
);
const silent = { warn: () => undefined } as never;

describe('the data directory lock', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('of many processes racing for it in the same millisecond, exactly one gets it', async () => {
    const rounds = 3;
    const contenders = 6;
    for (let round = 0; round < rounds; round++) {
      const dir = await mkdtemp(join(tmpdir(), 'streamgate-lock-'));
      dirs.push(dir);
      const { outcomes, release } = await raceForLock({
        lockModule,
        dir,
        contenders,
        startDelayMs: 4000, // after every contender has loaded
        nodeArgs: ['--import', 'tsx'],
      });
      release();
      expect(
        outcomes.filter((o) => o === 'won'),
        `round ${round}: ${outcomes}`,
      ).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'refused')).toHaveLength(contenders - 1);
      // Nothing but the LOCK is left behind.
      expect(await readdir(dir)).toEqual(['LOCK']);
    }
  }, 120_000);

  test('within one process, a second open at the same time is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'streamgate-lock-'));
    dirs.push(dir);
    const results = await Promise.allSettled([lockDataDir(dir, silent), lockDataDir(dir, silent)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    for (const r of results) if (r.status === 'fulfilled') await r.value.release();
  });

  test('a LOCK left by a process that is gone, or an empty one, is taken over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'streamgate-lock-'));
    dirs.push(dir);
    for (const content of ['2147483646\n', '']) {
      await writeFile(join(dir, 'LOCK'), content);
      const lock = await lockDataDir(dir, silent);
      await lock.release();
    }
  });
});
