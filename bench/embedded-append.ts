/**
 * Append throughput of the embedded log: 1 KiB records in batches of 100, per fsync policy, with
 * one append in flight at a time and with several (which group commit lets share an fsync).
 * Also times reading everything back. Prints figures; asserts nothing.
 *
 *   npx tsx bench/embedded-append.ts [batchesPerRun]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedLog } from '../src/log/embedded/index.js';
import type { FsyncPolicy } from '../src/log/embedded/index.js';
import type { AppendRecord } from '../src/log/event-log.js';

const RECORD_BYTES = 1024;
const BATCH = 100;
const batchesPerRun = Number(process.argv[2] ?? 300);

interface Figures {
  appendPerSecond: number;
  readPerSecond: number;
}

async function run(fsync: FsyncPolicy, inFlight: number): Promise<Figures> {
  const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-bench-'));
  const log = createEmbeddedLog({ dataDir, fsync });
  try {
    await log.connect();
    await log.createTopic({ name: 'bench', partitions: 4 });
    const value = randomBytes(RECORD_BYTES);
    const batch = (n: number): AppendRecord[] =>
      Array.from({ length: BATCH }, (_, i) => ({
        key: `resource-${(n * BATCH + i) % 1000}`,
        value,
        headers: { ce_type: 'bench.appended' },
      }));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < batchesPerRun) await log.append('bench', batch(next++));
      }),
    );
    const appendSeconds = (performance.now() - started) / 1000;
    const total = batchesPerRun * BATCH;

    let read = 0;
    const readStarted = performance.now();
    await new Promise<void>((resolve, reject) => {
      const reader = log.read({
        topic: 'bench',
        otherwise: 'earliest',
        onBatch: (b) => {
          read += b.records.length;
          if (read >= total) resolve();
        },
      });
      reader.done.catch(reject);
    });
    const readSeconds = (performance.now() - readStarted) / 1000;
    return { appendPerSecond: total / appendSeconds, readPerSecond: total / readSeconds };
  } finally {
    await log.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const format = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);
console.log(
  `embedded log: ${batchesPerRun} batches x ${BATCH} records x ${RECORD_BYTES} B, 4 partitions, dir ${tmpdir()}`,
);
console.log('fsync      in-flight   append rec/s     MiB/s   read rec/s');
for (const fsync of ['always', 'never'] as const) {
  for (const inFlight of [1, 8]) {
    const { appendPerSecond, readPerSecond } = await run(fsync, inFlight);
    const mib = (appendPerSecond * RECORD_BYTES) / (1024 * 1024);
    console.log(
      `${fsync.padEnd(10)} ${String(inFlight).padStart(9)} ${format(appendPerSecond)} ${mib.toFixed(1).padStart(9)} ${format(readPerSecond)}`,
    );
  }
}
