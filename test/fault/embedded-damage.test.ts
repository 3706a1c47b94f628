/**
 * The embedded log after a flipped bit in the middle of a segment (issue 15, finding 7), as an
 * operator would meet it: a real gateway process wrote and fsynced events, the disk flipped a
 * bit, the gateway restarted. No event after the damage is dropped, no offset is handed out a
 * second time, and /ready says 503 with the damage until the operator moves the set-aside file.
 * Damage in the registry topic stops the gateway instead: test/fault/registry-damage.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { graphqlOk, publishBatch, publishJson, subscribeEvents } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { waitFor } from '../support/wait-for.js';

const EVENTS = 2000;
const TYPE = 'audit.noted';

describe('embedded log: a flipped bit mid-segment', () => {
  const dataDir = mkdtemp(join(tmpdir(), 'streamgate-damage-'));
  const adminToken = `admin-${randomUUID()}`;
  let gateway: GatewayProcess | undefined;
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await rm(await dataDir, { recursive: true, force: true });
  });

  test(
    'restart keeps every intact event, reuses no offset, and /ready reports the damage',
    { timeout: 180_000 },
    async () => {
      const dir = await dataDir;
      gateway = await startGatewayProcess({ dataDir: dir, adminToken });
      await graphqlOk(
        gateway,
        'mutation($input: CreateStreamInput!) { createStream(input: $input) { name } }',
        { input: { name: 'audit', partitions: 1 } },
      );
      await graphqlOk(
        gateway,
        'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type } }',
        { input: { type: TYPE, stream: 'audit', schema: { type: 'object' } } },
      );
      const written: { id: string; offset: number }[] = [];
      for (let from = 0; from < EVENTS; from += 200) {
        const results = await publishBatch(
          gateway,
          Array.from({ length: 200 }, (_, i) => ({ type: TYPE, data: { n: from + i } })),
        );
        written.push(...results.map((r) => ({ id: r.id, offset: Number(r.offset) })));
      }
      // Acknowledged means fsynced (FSYNC=always, the default): a crash now loses none of them.
      expect(await gateway.stop('SIGKILL')).toBe(null);

      const partitionDir = join(dir, 'log', 'topics', 'audit', '0');
      const [segment] = (await readdir(partitionDir)).filter((name) => name.endsWith('.log'));
      const file = join(partitionDir, segment!);
      const bytes = await readFile(file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x04;
      await writeFile(file, bytes);

      gateway = await startGatewayProcess({ dataDir: dir, adminToken, waitFor: 'health' });
      const ready = await fetch(`${gateway.url}/ready`);
      const report = (await ready.json()) as { status: string; reason: string; damage: any[] };
      expect(ready.status).toBe(503);
      expect(report.status).toBe('unavailable');
      expect(report.reason).toMatch(/damaged/);
      expect(report.damage).toHaveLength(1);
      const [damage] = report.damage;
      expect(damage).toMatchObject({ topic: 'audit', partition: 0 });
      const [[firstLost, lastLost]] = damage.lostOffsets as [[number, number]];
      const lost = written.filter((w) => w.offset >= firstLost && w.offset <= lastLost);
      expect(lost.length).toBeGreaterThan(0);
      expect(lost.length).toBeLessThanOrEqual(1);

      // A new event gets an offset never handed out before.
      const after = await publishJson(gateway, { type: TYPE, data: { after: true } });
      const highest = Math.max(...written.map((w) => w.offset));
      expect(Number(after.offset)).toBeGreaterThan(highest);

      // Every intact event reads back once, at the offset its publish answered.
      const subscription = subscribeEvents(gateway, 'graphql-ws', {
        streams: ['audit'],
        from: { earliest: true },
      });
      const expected = written.length - lost.length + 1;
      await waitFor(() => subscription.events.length >= expected, {
        timeoutMs: 30_000,
        what: `${expected} events`,
      });
      const byId = new Map(subscription.events.map((e) => [e.id, Number(e.offset)]));
      expect(byId.size).toBe(subscription.events.length);
      for (const w of written) {
        if (lost.includes(w)) expect(byId.has(w.id)).toBe(false);
        else expect(byId.get(w.id)).toBe(w.offset);
      }
      subscription.close();

      // The operator looks at the set-aside file and moves it away: ready again.
      await rename(damage.quarantinedAs, `${damage.quarantinedAs}.inspected`);
      await waitFor(async () => (await fetch(`${gateway!.url}/ready`)).status === 200, {
        what: '/ready to answer 200',
      });
      console.info(
        `embedded damage: ${written.length} events, bit flipped at byte ${Math.floor(bytes.length / 2)} of ${bytes.length}; ` +
          `${lost.length} lost, ${written.length - lost.length} kept, next offset ${after.offset} (highest before ${highest})`,
      );
    },
  );
});
