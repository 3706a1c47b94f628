import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type {
  AppendRecord,
  EventLog,
  LogRecord,
  PartitionOffsets,
} from '../../src/log/event-log.js';
import { LogErrorCode } from '../../src/log/event-log.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import type { EmbeddedLogOptions, FsyncPolicy } from '../../src/log/embedded/index.js';
import { waitFor } from '../support/wait-for.js';
import { describeEventLogContract } from './event-log-contract.js';

describeEventLogContract(
  'embedded',
  async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-contract-'));
    const log = createEmbeddedLog({ dataDir });
    await log.connect();
    return {
      log,
      teardown: async () => {
        await log.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
  { waitTimeoutMs: 10_000, testTimeoutMs: 30_000 },
);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'streamgate-embedded-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An open log on `dataDir`, closed after the test; also collects the warnings it logs. */
async function openLog(
  dataDir: string,
  options: Omit<EmbeddedLogOptions, 'dataDir'> = {},
): Promise<{ log: EventLog; warnings: string[] }> {
  const warnings: string[] = [];
  const log = createEmbeddedLog({
    dataDir,
    logger: { warn: (_, message) => warnings.push(message) },
    ...options,
  });
  await log.connect();
  cleanups.push(() => log.close());
  return { log, warnings };
}

/** Every record of the topic: `count` of them, by default as many as the offsets span (no gaps). */
async function readAll(log: EventLog, topic: string, count?: number): Promise<LogRecord[]> {
  const expected = count ?? (await log.offsets(topic)).reduce((sum, p) => sum + p.high - p.low, 0);
  const records: LogRecord[] = [];
  const reader = log.read({
    topic,
    otherwise: 'earliest',
    onBatch: (batch) => void records.push(...batch.records),
  });
  await reader.ready;
  await waitFor(() => records.length >= expected, {
    timeoutMs: 10_000,
    what: `${expected} records`,
  });
  await reader.close();
  return records;
}

const text = (record: LogRecord) => record.value?.toString('utf8');
const values = (prefix: string, count: number, from = 0): AppendRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    key: 'k',
    value: Buffer.from(`${prefix}${from + i}`),
  }));

/** The file of partition 0's newest segment. */
async function lastSegmentFile(dataDir: string, topic: string): Promise<string> {
  const dir = join(dataDir, 'topics', topic, '0');
  const files = (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();
  return join(dir, files.at(-1)!);
}

async function segmentCount(dataDir: string, topic: string): Promise<number> {
  return (await readdir(join(dataDir, 'topics', topic, '0'))).filter((name) =>
    name.endsWith('.log'),
  ).length;
}

describe('embedded log: persistence and recovery', () => {
  test('records and offsets survive close and reopen', async () => {
    const dataDir = await tempDir();
    const first = await openLog(dataDir);
    await first.log.createTopic({ name: 'orders', partitions: 3, retentionMs: 86_400_000 });
    await first.log.append(
      'orders',
      Array.from({ length: 50 }, (_, i) => ({ key: `o${i}`, value: Buffer.from(`v${i}`) })),
    );
    const before = await first.log.offsets('orders');
    await first.log.close();

    const second = await openLog(dataDir);
    await expect(second.log.describeTopic('orders')).resolves.toEqual({
      name: 'orders',
      partitions: 3,
      retentionMs: 86_400_000,
    });
    await expect(second.log.offsets('orders')).resolves.toEqual(before);
    const [next] = await second.log.append('orders', [{ key: 'o0', value: Buffer.from('after') }]);
    expect(next!.offset).toBe(before.find((p) => p.partition === next!.partition)!.high);
    const records = await readAll(second.log, 'orders');
    expect(records.map(text).sort()).toEqual(
      [...Array.from({ length: 50 }, (_, i) => `v${i}`), 'after'].sort(),
    );
    expect(second.warnings).toEqual([]);
  });

  test('a torn last record is cut at reopen and no offset it may have held is handed out again', async () => {
    const dataDir = await tempDir();
    const first = await openLog(dataDir);
    await first.log.createTopic({ name: 'torn' });
    await first.log.append('torn', values('r', 10));
    await first.log.close();
    const file = await lastSegmentFile(dataDir, 'torn');
    await truncate(file, (await stat(file)).size - 3);

    const second = await openLog(dataDir);
    expect(second.warnings).toHaveLength(1);
    const [{ high }] = (await second.log.offsets('torn')) as [PartitionOffsets];
    expect(high).toBeGreaterThan(9);
    const [result] = await second.log.append('torn', values('new', 1));
    expect(result!.offset).toBe(high);
    expect((await readAll(second.log, 'torn', 10)).map(text)).toEqual([
      ...Array.from({ length: 9 }, (_, i) => `r${i}`),
      'new0',
    ]);
    // Torn tails are not damage: nothing is reported.
    expect(second.log.damage()).toEqual([]);
    await second.log.close();

    // The floor holds across restarts, even before anything was appended after it.
    const third = await openLog(dataDir);
    const [{ high: after }] = (await third.log.offsets('torn')) as [PartitionOffsets];
    expect(after).toBe(high + 1);
  });

  test('a corrupt byte in the last record fails its CRC: it is cut, its offset never reused', async () => {
    const dataDir = await tempDir();
    const first = await openLog(dataDir);
    await first.log.createTopic({ name: 'corrupt' });
    await first.log.append('corrupt', values('r', 10));
    await first.log.close();
    const file = await lastSegmentFile(dataDir, 'corrupt');
    const handle = await open(file, 'r+');
    const { size } = await handle.stat();
    // The last byte is in the last record's value.
    await handle.write(Buffer.from([0xff ^ 0x39]), 0, 1, size - 1);
    await handle.close();

    const second = await openLog(dataDir);
    expect(second.warnings.join()).toMatch(/torn/);
    const [result] = await second.log.append('corrupt', values('new', 1));
    expect(result!.offset).toBeGreaterThan(9);
    expect((await readAll(second.log, 'corrupt', 10)).map(text)).toEqual([
      ...Array.from({ length: 9 }, (_, i) => `r${i}`),
      'new0',
    ]);
  });

  test('a header-only fragment at the end (a crash mid-write) is cut', async () => {
    const dataDir = await tempDir();
    const first = await openLog(dataDir);
    await first.log.createTopic({ name: 'fragment' });
    await first.log.append('fragment', values('r', 3));
    await first.log.close();
    const handle = await open(await lastSegmentFile(dataDir, 'fragment'), 'a');
    await handle.write(Buffer.from([0, 0, 0x10, 0, 1, 2]));
    await handle.close();

    const second = await openLog(dataDir);
    expect(second.warnings).toHaveLength(1);
    const [{ high }] = (await second.log.offsets('fragment')) as [PartitionOffsets];
    expect(high).toBeGreaterThanOrEqual(3);
    await second.log.append('fragment', values('new', 1));
    expect((await readAll(second.log, 'fragment', 4)).map(text)).toEqual([
      'r0',
      'r1',
      'r2',
      'new0',
    ]);
  });

  test.each([
    ['a flipped bit in a value', (frame: number) => frame + 40],
    ['a flipped bit in a length field', (frame: number) => frame + 1],
    ['a flipped bit in an offset', (frame: number) => frame + 8 + 5],
  ])(
    '%s mid-segment: intact records on both sides kept, offsets never reused, damage reported',
    async (_, bitAt) => {
      const dataDir = await tempDir();
      const first = await openLog(dataDir);
      await first.log.createTopic({ name: 'flipped' });
      const input = Array.from({ length: 100 }, (_, i) => ({
        key: 'k',
        value: Buffer.from(`record-${i}-${'x'.repeat(40)}`),
      }));
      await first.log.append('flipped', input);
      await first.log.close();
      const file = await lastSegmentFile(dataDir, 'flipped');
      const original = await readFile(file);
      // Record 40's frame: every frame here has the same length.
      const frameBytes = original.length / 100;
      const at = bitAt(40 * frameBytes);
      const damaged = Buffer.from(original);
      damaged[at] = damaged[at]! ^ 0x10;
      await writeFile(file, damaged);

      const second = await openLog(dataDir);
      const records = await readAll(second.log, 'flipped', 99);
      // Only record 40 is lost; the 59 after it keep their offsets.
      expect(records.map((r) => r.offset)).toEqual(
        Array.from({ length: 100 }, (_, i) => i).filter((i) => i !== 40),
      );
      expect(records.map(text)).toEqual(
        input.filter((_, i) => i !== 40).map((r) => text(r as LogRecord)),
      );
      const [next] = await second.log.append('flipped', values('new', 1));
      expect(next!.offset).toBe(100);
      const [damage] = second.log.damage();
      expect(second.log.damage()).toHaveLength(1);
      expect(damage).toMatchObject({
        topic: 'flipped',
        partition: 0,
        lostOffsets: [[40, 40]],
        segment: file,
      });
      // The file as found is kept for the operator.
      expect(await readFile(damage!.quarantinedAs)).toEqual(damaged);
      await second.log.close();
      // The repaired segment shows no damage any more, yet the report outlives restarts...
      const again = await openLog(dataDir);
      expect(again.log.damage()).toEqual([damage]);
      // ...until the file as found is moved away.
      await rm(damage!.quarantinedAs);
      expect(again.log.damage()).toEqual([]);
      await again.log.close();

      // The repaired segment opens clean.
      const third = await openLog(dataDir);
      expect(third.warnings).toEqual([]);
      expect(third.log.damage()).toEqual([]);
      expect((await readAll(third.log, 'flipped', 100)).at(-1)!.offset).toBe(100);
    },
  );

  test('damage in an older segment is repaired the same way, the later segments untouched', async () => {
    const dataDir = await tempDir();
    const options = { segmentBytes: 4 * 1024 };
    const first = await openLog(dataDir, options);
    await first.log.createTopic({ name: 'older' });
    for (let i = 0; i < 300; i += 10) await first.log.append('older', values('v', 10, i));
    await first.log.close();
    const dir = join(dataDir, 'topics', 'older', '0');
    const files = (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();
    expect(files.length).toBeGreaterThan(2);
    const file = join(dir, files[0]!);
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    await writeFile(file, bytes);

    const second = await openLog(dataDir, options);
    const offsets = (await readAll(second.log, 'older', 299)).map((r) => r.offset);
    expect(offsets.length).toBeGreaterThanOrEqual(298);
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(second.log.damage()).toHaveLength(1);
    const [next] = await second.log.append('older', values('new', 1));
    expect(next!.offset).toBe(300);
  });

  test('segments roll at the size limit and any offset reads back, before and after reopen', async () => {
    const dataDir = await tempDir();
    const options = { segmentBytes: 8 * 1024, indexIntervalBytes: 512 };
    const first = await openLog(dataDir, options);
    await first.log.createTopic({ name: 'rolled' });
    const base = Date.now() - 60_000;
    const input = Array.from({ length: 2000 }, (_, i) => ({
      key: `k${i % 7}`,
      value: Buffer.from(`value-${i}-${'x'.repeat(i % 50)}`),
      timestamp: base + i * 10,
    }));
    for (let i = 0; i < input.length; i += 250)
      await first.log.append('rolled', input.slice(i, i + 250));
    expect(await segmentCount(dataDir, 'rolled')).toBeGreaterThan(10);

    const check = async (log: EventLog) => {
      for (const offset of [0, 1, 57, 499, 500, 1234, 1998, 1999]) {
        const got: LogRecord[] = [];
        const reader = log.read({
          topic: 'rolled',
          start: new Map([[0, offset]]),
          onBatch: (batch) => void got.push(...batch.records),
        });
        await waitFor(() => got.length >= 2000 - offset, { what: `records from ${offset}` });
        await reader.close();
        expect(got[0]!.offset).toBe(offset);
        expect(text(got[0]!)).toBe(input[offset]!.value.toString());
        expect(got.map((r) => r.offset)).toEqual(
          Array.from({ length: 2000 - offset }, (_, i) => offset + i),
        );
      }
      for (const i of [0, 3, 640, 1500, 1999]) {
        await expect(log.offsetsForTime('rolled', base + i * 10)).resolves.toEqual(
          new Map([[0, i]]),
        );
        await expect(log.offsetsForTime('rolled', base + i * 10 - 5)).resolves.toEqual(
          new Map([[0, i]]),
        );
      }
      await expect(log.offsetsForTime('rolled', base + 20_000)).resolves.toEqual(
        new Map([[0, 2000]]),
      );
    };
    await check(first.log);
    await first.log.close();
    const second = await openLog(dataDir, options);
    await check(second.log);
    expect(second.warnings).toEqual([]);
  });
});

describe('embedded log: retention', () => {
  const old = () => Date.now() - 2 * 60 * 60_000;

  test('a periodic check deletes expired segments and moves the low watermark', async () => {
    const dataDir = await tempDir();
    const { log } = await openLog(dataDir, { segmentBytes: 2048, retentionCheckIntervalMs: 20 });
    await log.createTopic({ name: 'expiring', retentionMs: 60 * 60_000 });
    await log.append(
      'expiring',
      Array.from({ length: 100 }, (_, i) => ({
        key: 'k',
        value: Buffer.from(`old${i}`),
        timestamp: old(),
      })),
    );
    await log.append('expiring', values('new', 100));
    await waitFor(async () => (await log.offsets('expiring'))[0]!.low > 0, {
      what: 'the low watermark to move',
    });
    const [{ low, high }] = (await log.offsets('expiring')) as [PartitionOffsets];
    expect(low).toBeLessThanOrEqual(100);
    expect(high).toBe(200);
    const records = await readAll(log, 'expiring');
    expect(records[0]!.offset).toBe(low);
    // Only whole old segments go: every new record is still there.
    expect(records.filter((r) => text(r)!.startsWith('new')).map(text)).toEqual(
      Array.from({ length: 100 }, (_, i) => `new${i}`),
    );
  });

  test('retention also runs at open, and a fully expired partition keeps its offsets', async () => {
    const dataDir = await tempDir();
    const options = { segmentBytes: 2048, retentionCheckIntervalMs: 3_600_000 };
    const first = await openLog(dataDir, options);
    await first.log.createTopic({ name: 'gone', retentionMs: 60 * 60_000 });
    await first.log.append(
      'gone',
      Array.from({ length: 80 }, (_, i) => ({
        key: 'k',
        value: Buffer.from(`old${i}`),
        timestamp: old(),
      })),
    );
    await expect(first.log.offsets('gone')).resolves.toEqual([{ partition: 0, low: 0, high: 80 }]);
    await first.log.close();

    const second = await openLog(dataDir, options);
    await expect(second.log.offsets('gone')).resolves.toEqual([
      { partition: 0, low: 80, high: 80 },
    ]);
    const [result] = await second.log.append('gone', values('fresh', 1));
    expect(result!.offset).toBe(80);
    expect((await readAll(second.log, 'gone')).map(text)).toEqual(['fresh0']);
    // A reader asking for an offset that retention removed starts at the low watermark.
    const got: LogRecord[] = [];
    const reader = second.log.read({
      topic: 'gone',
      start: new Map([[0, 3]]),
      onBatch: (b) => void got.push(...b.records),
    });
    await waitFor(() => got.length > 0);
    await reader.close();
    expect(got.map((r) => r.offset)).toEqual([80]);
  });

  test('compacted topics keep every record and are not expired by time', async () => {
    const dataDir = await tempDir();
    const { log } = await openLog(dataDir, { segmentBytes: 1024, retentionCheckIntervalMs: 10 });
    await log.createTopic({ name: '_registry', compacted: true, retentionMs: 1 });
    await log.createTopic({ name: 'witness', retentionMs: 1 });
    const oldRecords = Array.from({ length: 60 }, (_, i) => ({
      key: `key${i % 3}`,
      value: Buffer.from(`r${i}`),
      timestamp: old(),
    }));
    await log.append('_registry', oldRecords);
    await log.append('witness', oldRecords);
    // Once retention has emptied the plain topic, it has had its chance at the compacted one.
    await waitFor(async () => (await log.offsets('witness'))[0]!.low === 60, {
      what: 'retention to run',
    });
    await expect(log.offsets('_registry')).resolves.toEqual([{ partition: 0, low: 0, high: 60 }]);
    expect((await readAll(log, '_registry')).map(text)).toEqual(
      oldRecords.map((r) => r.value.toString()),
    );
  });
});

describe('embedded log: fsync policies', () => {
  for (const fsync of ['always', 'interval', 'never'] as FsyncPolicy[]) {
    test(`fsync '${fsync}': concurrent appends land once and survive reopen`, async () => {
      const dataDir = await tempDir();
      const first = await openLog(dataDir, { fsync, fsyncIntervalMs: 20 });
      await first.log.createTopic({ name: 'durable', partitions: 2 });
      const results = (
        await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            first.log.append('durable', [{ key: `k${i % 9}`, value: Buffer.from(`${i}`) }]),
          ),
        )
      ).flat();
      expect(new Set(results.map((r) => `${r.partition}/${r.offset}`)).size).toBe(100);
      await first.log.close();
      const second = await openLog(dataDir, { fsync });
      expect((await readAll(second.log, 'durable')).map(text).sort()).toEqual(
        Array.from({ length: 100 }, (_, i) => `${i}`).sort(),
      );
    });
  }

  test("fsync 'interval' makes records visible before the interval fsync", async () => {
    const dataDir = await tempDir();
    const { log } = await openLog(dataDir, { fsync: 'interval', fsyncIntervalMs: 3_600_000 });
    await log.createTopic({ name: 'fast' });
    await log.append('fast', values('v', 3));
    expect((await readAll(log, 'fast')).map(text)).toEqual(['v0', 'v1', 'v2']);
  });
});

describe('embedded log: limits, lifecycle, readers', () => {
  test('the record size limit is an option; records over it are refused with RecordTooLarge', async () => {
    const dataDir = await tempDir();
    const { log } = await openLog(dataDir, { maxRecordBytes: 1000 });
    await log.createTopic({ name: 'small' });
    await expect(
      log.append('small', [{ key: 'k', value: Buffer.alloc(900) }]),
    ).resolves.toHaveLength(1);
    await expect(
      log.append('small', [{ key: 'k', value: Buffer.alloc(1000) }]),
    ).rejects.toMatchObject({
      code: LogErrorCode.RecordTooLarge,
    });
  });

  test('the default limit takes 1 MiB plus headers and refuses past 1 MiB + 64 KiB', async () => {
    const dataDir = await tempDir();
    const { log } = await openLog(dataDir);
    await log.createTopic({ name: 'default-limit' });
    const headers = { ce_id: 'x'.repeat(1000), ce_type: 'y'.repeat(1000) };
    await expect(
      log.append('default-limit', [{ key: 'k', value: Buffer.alloc(1024 * 1024), headers }]),
    ).resolves.toHaveLength(1);
    await expect(
      log.append('default-limit', [{ key: 'k', value: Buffer.alloc(1024 * 1024 + 64 * 1024) }]),
    ).rejects.toMatchObject({ code: LogErrorCode.RecordTooLarge });
  });

  test('close() ends readers, refuses appends, and a later connect() reopens', async () => {
    const dataDir = await tempDir();
    const log = createEmbeddedLog({ dataDir });
    await log.connect();
    await log.connect();
    await log.createTopic({ name: 'lifecycle' });
    const reader = log.read({ topic: 'lifecycle', onBatch: () => {} });
    await reader.ready;
    await expect(log.healthy()).resolves.toBe(true);
    await log.close();
    await expect(reader.done).resolves.toBeUndefined();
    await expect(log.healthy()).resolves.toBe(false);
    await expect(log.append('lifecycle', values('v', 1))).rejects.toMatchObject({
      code: LogErrorCode.Closed,
    });
    await expect(log.read({ topic: 'lifecycle', onBatch: () => {} }).ready).rejects.toMatchObject({
      code: LogErrorCode.Closed,
    });
    await log.connect();
    cleanups.push(() => log.close());
    await expect(log.append('lifecycle', values('v', 1))).resolves.toEqual([
      { topic: 'lifecycle', partition: 0, offset: 0 },
    ]);
  });

  test('appends already queued when close() is called are written', async () => {
    const dataDir = await tempDir();
    const first = await openLog(dataDir);
    await first.log.createTopic({ name: 'draining' });
    const appends = Array.from({ length: 20 }, (_, i) =>
      first.log.append('draining', values('v', 1, i)),
    );
    await first.log.close();
    await expect(Promise.all(appends)).resolves.toHaveLength(20);
    const second = await openLog(dataDir);
    await expect(second.log.offsets('draining')).resolves.toEqual([
      { partition: 0, low: 0, high: 20 },
    ]);
  });

  test('a second log on the same directory is refused while the first is open', async () => {
    const dataDir = await tempDir();
    await openLog(dataDir);
    const other = createEmbeddedLog({ dataDir });
    await expect(other.connect()).rejects.toMatchObject({ code: LogErrorCode.Unavailable });
  });

  test('invalid topic names are refused', async () => {
    const { log } = await openLog(await tempDir());
    for (const name of ['', '..', 'has space', 'slash/name', 'x'.repeat(250)]) {
      await expect(log.createTopic({ name })).rejects.toMatchObject({
        code: LogErrorCode.Internal,
      });
    }
    await expect(log.createTopic({ name: 'ok', partitions: 0 })).rejects.toMatchObject({
      code: LogErrorCode.Internal,
    });
    await expect(log.listTopics()).resolves.toEqual([]);
  });

  test('a forced partition out of range is refused and nothing is written', async () => {
    const { log } = await openLog(await tempDir());
    await log.createTopic({ name: 'two', partitions: 2 });
    await expect(
      log.append('two', [
        { key: 'k', value: Buffer.from('a') },
        { key: 'k', value: Buffer.from('b'), partition: 2 },
      ]),
    ).rejects.toMatchObject({ code: LogErrorCode.UnknownTopic });
    await expect(log.offsets('two')).resolves.toEqual([
      { partition: 0, low: 0, high: 0 },
      { partition: 1, low: 0, high: 0 },
    ]);
  });

  test('a header named __proto__ reads back as a plain header', async () => {
    const { log } = await openLog(await tempDir());
    await log.createTopic({ name: 'proto' });
    const headers = JSON.parse('{"__proto__":"x","ce_id":"1"}') as Record<string, string>;
    await log.append('proto', [{ key: 'k', value: null, headers }]);
    const [record] = await readAll(log, 'proto');
    expect(Object.entries(record!.headers)).toEqual([
      ['__proto__', 'x'],
      ['ce_id', '1'],
    ]);
    expect(Object.getPrototypeOf(record!.headers)).toBe(Object.prototype);
  });

  test('five hundred idle readers all receive one append', async () => {
    const { log } = await openLog(await tempDir());
    await log.createTopic({ name: 'fanout', partitions: 4 });
    const received = new Array<number>(500).fill(0);
    const readers = received.map((_, i) =>
      log.read({
        topic: 'fanout',
        onBatch: (batch) => void (received[i]! += batch.records.length),
      }),
    );
    await Promise.all(readers.map((reader) => reader.ready));
    await log.append('fanout', [
      { key: randomBytes(4).toString('hex'), value: Buffer.from('hello') },
    ]);
    await waitFor(() => received.every((count) => count === 1), {
      what: 'every reader to get the record',
    });
    await Promise.all(readers.map((reader) => reader.close()));
  });

  test('batches are bounded by maxBatchRecords and maxBatchBytes', async () => {
    const { log } = await openLog(await tempDir(), {
      maxBatchRecords: 50,
      maxBatchBytes: 16 * 1024,
    });
    await log.createTopic({ name: 'bounded' });
    await log.append(
      'bounded',
      Array.from({ length: 120 }, (_, i) => ({ key: null, value: Buffer.from(`${i}`) })),
    );
    await log.append(
      'bounded',
      Array.from({ length: 4 }, () => ({ key: null, value: Buffer.alloc(10 * 1024) })),
    );
    const batches: { records: number; bytes: number }[] = [];
    let total = 0;
    const reader = log.read({
      topic: 'bounded',
      otherwise: 'earliest',
      onBatch: (batch) => {
        const bytes = batch.records.reduce((sum, r) => sum + (r.value?.length ?? 0), 0);
        batches.push({ records: batch.records.length, bytes });
        total += batch.records.length;
      },
    });
    await waitFor(() => total === 124);
    await reader.close();
    for (const batch of batches) {
      expect(batch.records).toBeLessThanOrEqual(50);
      if (batch.records > 1) expect(batch.bytes).toBeLessThanOrEqual(16 * 1024);
    }
    // Two 10 KiB records never share a 16 KiB batch.
    expect(batches.filter((batch) => batch.bytes >= 10 * 1024)).toHaveLength(4);
  });
});
