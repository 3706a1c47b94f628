import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import { waitFor } from '../support/wait-for.js';
import { describeFanoutSuite } from './fanout-suite.js';

describeFanoutSuite(
  'embedded',
  async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-fanout-'));
    // Retention runs often so the expiry test need not wait minutes.
    const log = createEmbeddedLog({ dataDir, fsync: 'never', retentionCheckIntervalMs: 50 });
    await log.connect();
    const others: string[] = [];
    return {
      log,
      async openAnotherLog() {
        const dir = await mkdtemp(join(tmpdir(), 'streamgate-fanout-'));
        others.push(dir);
        const another = createEmbeddedLog({ dataDir: dir, fsync: 'never' });
        await another.connect();
        return another;
      },
      async expireRecords(topic) {
        await waitFor(async () => (await log.offsets(topic)).every((p) => p.low === p.high), {
          what: `every record of ${topic} to expire`,
        });
      },
      async teardown() {
        await log.close();
        for (const dir of [dataDir, ...others]) await rm(dir, { recursive: true, force: true });
      },
    };
  },
  { waitTimeoutMs: 10_000 },
);
