import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDamageReports, writeDamageReport } from '../../src/log/embedded/damage-reports.js';
import { RegistryDamageError } from '../../src/registry/registry-damage.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A data directory with one set-aside segment of `topic` partition 0. */
async function quarantined(topic: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-reports-'));
  dirs.push(dataDir);
  const quarantineDir = join(dataDir, 'quarantine');
  const topicsDir = join(dataDir, 'topics');
  await mkdir(join(quarantineDir, topic, '0'), { recursive: true });
  const quarantinedAs = join(quarantineDir, topic, '0', '00000000000000000000.log.2030-01-01T00');
  await writeFile(quarantinedAs, 'as found');
  const segment = join(topicsDir, topic, '0', '00000000000000000000.log');
  return { quarantineDir, topicsDir, quarantinedAs, segment };
}

describe('damage reports', () => {
  it('read back what a repair wrote, while the file as found is there', async () => {
    const { quarantineDir, topicsDir, quarantinedAs, segment } = await quarantined('audit');
    const damage = {
      topic: 'audit',
      partition: 0,
      lostOffsets: [[4, 6]] as const,
      damagedBytes: 90,
      quarantinedAs,
      segment,
    };
    await writeDamageReport(damage);
    expect(await readDamageReports(quarantineDir, topicsDir)).toEqual([damage]);
    await rm(quarantinedAs);
    expect(await readDamageReports(quarantineDir, topicsDir)).toEqual([]);
  });

  it('still report damage when a report cannot be read: what was lost is unknown', async () => {
    const { quarantineDir, topicsDir, quarantinedAs, segment } =
      await quarantined('_streamgate.registry');
    await writeFile(`${quarantinedAs}.json`, '{"lostOff');
    const reports = await readDamageReports(quarantineDir, topicsDir);
    expect(reports).toEqual([
      {
        topic: '_streamgate.registry',
        partition: 0,
        lostOffsets: [],
        damagedBytes: 0,
        quarantinedAs,
        segment,
      },
    ]);
    expect(new RegistryDamageError('_streamgate.registry', reports).message).toMatch(
      /^the registry topic _streamgate\.registry is damaged: records at unknown offsets of partition 0 lost in segment .*00000000000000000000\.log \(file as found: .*\)\. A lost record may be a token revocation/,
    );
  });

  it('name single offsets and ranges in the refusal', () => {
    const at = (lostOffsets: [number, number][]) =>
      new RegistryDamageError('r', [
        {
          topic: 'r',
          partition: 0,
          lostOffsets,
          damagedBytes: 1,
          quarantinedAs: 'q',
          segment: 's',
        },
      ]).message;
    expect(at([[26, 26]])).toContain(
      'damaged: offset 26 of partition 0 lost in segment s (file as found: q).',
    );
    expect(
      at([
        [3, 5],
        [9, 9],
      ]),
    ).toContain('damaged: offsets 3-5, 9 of partition 0');
    expect(at([[26, 26]])).toContain('GATEWAY_ACCEPT_REGISTRY_DAMAGE=1');
  });
});
