/**
 * The EventLog contract: what every adapter (embedded, Kafka) must do, written only against the
 * port. Each adapter's test file calls `describeEventLogContract` with a setup that returns a
 * connected log. Tests run concurrently, each on its own randomly named topics, and wait with
 * `waitFor` (never a fixed sleep), so they hold on a real broker with its group joins and
 * metadata delays as well as on the embedded log.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ExpectStatic, TestContext } from 'vitest';
import { LogError, LogErrorCode } from '../../src/log/event-log.js';
import type {
  AppendRecord,
  EventLog,
  GroupReader,
  GroupReadOptions,
  LogReader,
  LogRecord,
  ReadOptions,
  RecordBatch,
  TopicPartition,
} from '../../src/log/event-log.js';
import { partitionForKey } from '../../src/log/murmur2.js';
import { waitFor } from '../support/wait-for.js';

export interface EventLogContractSubject {
  /** A connected log, shared by the tests of the file. */
  readonly log: EventLog;
  /** Closes the log and removes what setup made. */
  readonly teardown: () => Promise<void>;
}

export interface EventLogContractOptions {
  /** How long to wait for records to arrive. @default 30000 */
  readonly waitTimeoutMs?: number;
  /** Time limit of each test (Kafka readers join a consumer group first). @default 90000 */
  readonly testTimeoutMs?: number;
  /** Time limit of setup and teardown (starting a broker client). @default 60000 */
  readonly hookTimeoutMs?: number;
}

const MiB = 1024 * 1024;

export function describeEventLogContract(
  name: string,
  setup: () => Promise<EventLogContractSubject>,
  options: EventLogContractOptions = {},
): void {
  const waitTimeoutMs = options.waitTimeoutMs ?? 30_000;
  const testTimeoutMs = options.testTimeoutMs ?? 90_000;
  const hookTimeoutMs = options.hookTimeoutMs ?? 60_000;

  describe.concurrent(`EventLog contract: ${name}`, { timeout: testTimeoutMs }, () => {
    let subject: EventLogContractSubject | undefined;
    const log = (): EventLog => {
      if (!subject) throw new Error('the contract setup did not run');
      return subject.log;
    };

    beforeAll(async () => {
      subject = await setup();
    }, hookTimeoutMs);
    afterAll(async () => {
      await subject?.teardown();
    }, hookTimeoutMs);

    /** A fresh topic with a random name, so tests and runs never share one. */
    async function freshTopic(label: string, partitions = 1): Promise<string> {
      const topic = `contract-${label}-${randomBytes(5).toString('hex')}`;
      if (!(await log().createTopic({ name: topic, partitions }))) {
        throw new Error(`createTopic(${topic}) said the topic already existed`);
      }
      return topic;
    }

    /** A reader that keeps what it receives, closed when the test ends. */
    function collect(
      context: TestContext,
      readOptions: Omit<ReadOptions, 'onBatch'>,
      onBatch?: (batch: RecordBatch) => Promise<void>,
    ): { records: LogRecord[]; batches: RecordBatch[]; reader: LogReader } {
      const records: LogRecord[] = [];
      const batches: RecordBatch[] = [];
      const reader = log().read({
        ...readOptions,
        onBatch: async (batch) => {
          batches.push(batch);
          records.push(...batch.records);
          await onBatch?.(batch);
        },
      });
      context.onTestFinished(() => reader.close());
      return { records, batches, reader };
    }

    async function waitForCount(records: readonly unknown[], count: number, what: string) {
      await waitFor(() => records.length >= count, { timeoutMs: waitTimeoutMs, what });
    }

    /** Everything in the topic now, read from earliest, once `count` records have arrived. */
    async function readBack(
      context: TestContext,
      topic: string,
      count: number,
    ): Promise<LogRecord[]> {
      const { records, reader } = collect(context, { topic, otherwise: 'earliest' });
      await reader.ready;
      await waitForCount(records, count, `${count} records of ${topic}`);
      await reader.close();
      return records;
    }

    const text = (record: LogRecord): string => record.value?.toString('utf8') ?? '<null>';

    test('createTopic creates once, then answers false and leaves the settings alone', async ({
      expect,
    }) => {
      const topic = `contract-create-${randomBytes(5).toString('hex')}`;
      await expect(log().describeTopic(topic)).resolves.toBeUndefined();
      await expect(
        log().createTopic({ name: topic, partitions: 3, retentionMs: 3_600_000 }),
      ).resolves.toBe(true);
      await expect(
        log().createTopic({ name: topic, partitions: 5, retentionMs: 60_000 }),
      ).resolves.toBe(false);
      await expect(log().describeTopic(topic)).resolves.toEqual({
        name: topic,
        partitions: 3,
        retentionMs: 3_600_000,
      });
      await expect(log().listTopics()).resolves.toContain(topic);
      await expect(log().offsets(topic)).resolves.toEqual([
        { partition: 0, low: 0, high: 0 },
        { partition: 1, low: 0, high: 0 },
        { partition: 2, low: 0, high: 0 },
      ]);
      await expect(log().healthy()).resolves.toBe(true);
    });

    test('a topic created without retention keeps forever (-1)', async ({ expect }) => {
      const topic = await freshTopic('forever', 2);
      await expect(log().describeTopic(topic)).resolves.toEqual({
        name: topic,
        partitions: 2,
        retentionMs: -1,
      });
    });

    test("keeps each key's order across 8 partitions, in partitionForKey's partition", async (context) => {
      const { expect } = context;
      const topic = await freshTopic('order', 8);
      const keys = Array.from(
        { length: 40 },
        (_, i) => `resource-${i}-${randomBytes(2).toString('hex')}`,
      );
      const perKey = 25;
      // Five appends of 200 records, keys interleaved within each.
      for (let round = 0; round < 5; round++) {
        const records: AppendRecord[] = [];
        for (let step = 0; step < perKey / 5; step++) {
          for (const key of keys) {
            const sequence = round * (perKey / 5) + step;
            records.push({ key, value: Buffer.from(`${key}#${sequence}`) });
          }
        }
        const results = await log().append(topic, records);
        results.forEach((result, i) => {
          expect(result.partition).toBe(partitionForKey(records[i]!.key!, 8));
        });
      }
      const records = await readBack(context, topic, keys.length * perKey);
      expect(records).toHaveLength(keys.length * perKey);
      for (const key of keys) {
        const mine = records.filter((record) => record.key === key);
        expect(mine.map(text)).toEqual(Array.from({ length: perKey }, (_, i) => `${key}#${i}`));
        expect(new Set(mine.map((record) => record.partition))).toEqual(
          new Set([partitionForKey(key, 8)]),
        );
      }
      expect(new Set(records.map((record) => record.partition)).size).toBeGreaterThan(4);
    });

    test('results are in input order with increasing offsets per partition', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('offsets', 4);
      const input = Array.from({ length: 300 }, (_, i) => ({
        key: `key-${i % 17}`,
        value: Buffer.from(`value-${i}`),
      }));
      const results = await log().append(topic, input);
      expect(results).toHaveLength(input.length);
      const perPartition = new Map<number, number[]>();
      for (const result of results) {
        expect(result.topic).toBe(topic);
        perPartition.set(result.partition, [
          ...(perPartition.get(result.partition) ?? []),
          result.offset,
        ]);
      }
      for (const offsets of perPartition.values()) {
        // In input order within a partition. Kafka may leave gaps (a transaction's commit marker
        // takes an offset), so offsets increase without being consecutive.
        expectIncreasing(expect, offsets);
      }
      const records = await readBack(context, topic, input.length);
      const at = new Map(
        records.map((record) => [`${record.partition}/${record.offset}`, text(record)]),
      );
      results.forEach((result, i) => {
        expect(at.get(`${result.partition}/${result.offset}`)).toBe(`value-${i}`);
      });
      // The end of each partition is past its last record (right after it, or after a marker).
      const offsets = await log().offsets(topic);
      for (const { partition, high } of offsets) {
        expect(high).toBeGreaterThan(perPartition.get(partition)?.at(-1) ?? -1);
      }
      // A later append continues where the partition left off.
      const [next] = await log().append(topic, [{ key: 'key-0', value: Buffer.from('next') }]);
      expect(next!.offset).toBe(offsets.find((o) => o.partition === next!.partition)!.high);
    });

    test('reads from given offsets, and from earliest where none is given', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('from-offset', 2);
      for (const partition of [0, 1]) {
        await log().append(
          topic,
          Array.from({ length: 10 }, (_, i) => ({
            key: null,
            partition,
            value: Buffer.from(`${partition}:${i}`),
          })),
        );
      }
      const { records, reader } = collect(context, {
        topic,
        start: new Map([[0, 6]]),
        otherwise: 'earliest',
      });
      await reader.ready;
      await waitForCount(records, 14, '4 records of partition 0 and 10 of partition 1');
      const of = (partition: number) => records.filter((r) => r.partition === partition);
      expect(of(0).map((r) => r.offset)).toEqual([6, 7, 8, 9]);
      expect(of(0).map(text)).toEqual(['0:6', '0:7', '0:8', '0:9']);
      expect(of(1).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    test('reads from latest: only records appended after ready', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('latest');
      await log().append(
        topic,
        [1, 2, 3].map((i) => ({ key: 'k', value: Buffer.from(`old-${i}`) })),
      );
      const { records, reader } = collect(context, { topic, otherwise: 'latest' });
      await reader.ready;
      await log().append(
        topic,
        [1, 2].map((i) => ({ key: 'k', value: Buffer.from(`new-${i}`) })),
      );
      await waitForCount(records, 2, 'the new records');
      // One partition: had the reader started earlier, old records would have come first.
      expect(records.map(text)).toEqual(['new-1', 'new-2']);
      expect(records.map((r) => r.offset)).toEqual([3, 4]);
    });

    test('the live tail delivers appends made after ready, round after round', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('tail', 3);
      const { records, reader } = collect(context, { topic, otherwise: 'latest' });
      await reader.ready;
      for (let round = 0; round < 4; round++) {
        await log().append(
          topic,
          Array.from({ length: 5 }, (_, i) => ({
            key: `k${i}`,
            value: Buffer.from(`${round}:${i}`),
          })),
        );
        await waitForCount(records, (round + 1) * 5, `round ${round}`);
      }
      expect(records.map(text).sort()).toEqual(
        [0, 1, 2, 3].flatMap((round) => [0, 1, 2, 3, 4].map((i) => `${round}:${i}`)).sort(),
      );
    });

    test('offsetsForTime finds the first offset whose timestamp is >= t', async ({ expect }) => {
      const topic = await freshTopic('time', 2);
      // Recent past: brokers may refuse timestamps far from now; retention would drop old ones.
      const base = Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000;
      const stamps = [0, 1000, 3000, 2000, 4000].map((delta) => base + delta);
      const results = await log().append(
        topic,
        stamps.map((timestamp, i) => ({
          key: null,
          partition: 0,
          timestamp,
          value: Buffer.from(`t${i}`),
        })),
      );
      expect(results.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
      const lookup = async (t: number) => (await log().offsetsForTime(topic, t)).get(0);
      await expect(lookup(base - 1)).resolves.toBe(0);
      await expect(lookup(base)).resolves.toBe(0);
      await expect(lookup(base + 1000)).resolves.toBe(1);
      await expect(lookup(base + 1500)).resolves.toBe(2);
      // Out of order: 2000 sits at offset 3, but offset 2 (3000) is the first at or after it.
      await expect(lookup(base + 2000)).resolves.toBe(2);
      await expect(lookup(base + 3500)).resolves.toBe(4);
      await expect(lookup(base + 4001)).resolves.toBe(5);
      // An empty partition answers its high offset.
      await expect(log().offsetsForTime(topic, base)).resolves.toEqual(
        new Map([
          [0, 0],
          [1, 0],
        ]),
      );
    });

    test('timestamps given by the appender are read back', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('timestamps');
      const timestamp = Date.now() - 5 * 60_000;
      await log().append(topic, [{ key: 'k', value: Buffer.from('x'), timestamp }]);
      const before = Date.now();
      await log().append(topic, [{ key: 'k', value: Buffer.from('y') }]);
      const after = Date.now();
      const records = await readBack(context, topic, 2);
      expect(records[0]!.timestamp).toBe(timestamp);
      // Defaulted to the time of the append (a second of slack for a broker's clock).
      expect(records[1]!.timestamp).toBeGreaterThanOrEqual(before - 1000);
      expect(records[1]!.timestamp).toBeLessThanOrEqual(after + 1000);
    });

    test('concurrent appends all land exactly once', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('concurrent', 4);
      const calls = Array.from({ length: 200 }, (_, i) =>
        log().append(
          topic,
          Array.from({ length: 1 + (i % 3) }, (_, j) => ({
            key: i % 5 === 0 ? null : `k${i % 23}`,
            value: Buffer.from(`${i}.${j}`),
          })),
        ),
      );
      const results = (await Promise.all(calls)).flat();
      const expected = Array.from({ length: 200 }, (_, i) =>
        Array.from({ length: 1 + (i % 3) }, (_, j) => `${i}.${j}`),
      ).flat();
      expect(results).toHaveLength(expected.length);
      const positions = new Set(results.map((r) => `${r.partition}/${r.offset}`));
      expect(positions.size).toBe(expected.length);
      const records = await readBack(context, topic, expected.length);
      expect(records.map(text).sort()).toEqual([...expected].sort());
      const byPartition = new Map<number, number[]>();
      for (const record of records) {
        byPartition.set(record.partition, [
          ...(byPartition.get(record.partition) ?? []),
          record.offset,
        ]);
      }
      for (const offsets of byPartition.values()) expectIncreasing(expect, offsets);
      // Each append's result names where its own record is.
      const at = new Map(
        records.map((record) => [`${record.partition}/${record.offset}`, text(record)]),
      );
      expect(results.map((r) => at.get(`${r.partition}/${r.offset}`))).toEqual(expected);
    });

    test('1 MiB records with headers round-trip byte for byte', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('large', 2);
      const headers = {
        ce_id: 'big',
        ce_type: 'blob.stored',
        'content-type': 'application/octet-stream',
      };
      const values = [randomBytes(MiB), randomBytes(MiB), randomBytes(MiB - 1)];
      await log().append(
        topic,
        values.map((value, i) => ({ key: `blob-${i}`, value, headers })),
      );
      const records = await readBack(context, topic, values.length);
      for (const [i, value] of values.entries()) {
        const record = records.find((r) => r.key === `blob-${i}`);
        expect(record?.value?.length).toBe(value.length);
        expect(record?.value?.equals(value)).toBe(true);
        expect(record?.headers).toEqual(headers);
      }
    });

    test('a record far over the size limit is refused and nothing is written', async ({
      expect,
    }) => {
      const topic = await freshTopic('too-large');
      const append = log().append(topic, [
        { key: 'ok', value: Buffer.from('small') },
        { key: 'huge', value: Buffer.alloc(4 * MiB, 1) },
      ]);
      await expect(append).rejects.toBeInstanceOf(LogError);
      await expect(append).rejects.toMatchObject({ code: LogErrorCode.RecordTooLarge });
      await expect(log().offsets(topic)).resolves.toEqual([{ partition: 0, low: 0, high: 0 }]);
    });

    test('unknown topics are refused with UnknownTopic', async ({ expect }) => {
      const topic = `contract-missing-${randomBytes(5).toString('hex')}`;
      const append = log().append(topic, [{ key: 'k', value: Buffer.from('x') }]);
      await expect(append).rejects.toBeInstanceOf(LogError);
      await expect(append).rejects.toMatchObject({ code: LogErrorCode.UnknownTopic });
      await expect(log().offsets(topic)).rejects.toMatchObject({ code: LogErrorCode.UnknownTopic });
      const reader = log().read({ topic, onBatch: () => {} });
      await expect(reader.ready).rejects.toMatchObject({ code: LogErrorCode.UnknownTopic });
      await expect(reader.done).rejects.toBeInstanceOf(LogError);
      await expect(log().listTopics()).resolves.not.toContain(topic);
    });

    test('appendMany writes to two topics and answers per batch, in order', async (context) => {
      const { expect } = context;
      const first = await freshTopic('many-a', 2);
      const second = await freshTopic('many-b');
      const results = await log().appendMany([
        {
          topic: first,
          records: [0, 1, 2].map((i) => ({ key: `a${i}`, value: Buffer.from(`a${i}`) })),
        },
        {
          topic: second,
          records: [0, 1].map((i) => ({ key: `b${i}`, value: Buffer.from(`b${i}`) })),
        },
      ]);
      expect(results).toHaveLength(2);
      expect(results[0]!.map((r) => r.topic)).toEqual([first, first, first]);
      expect(results[0]!.map((r) => r.partition)).toEqual(
        [0, 1, 2].map((i) => partitionForKey(`a${i}`, 2)),
      );
      expect(results[1]).toEqual([
        { topic: second, partition: 0, offset: 0 },
        { topic: second, partition: 0, offset: 1 },
      ]);
      expect((await readBack(context, first, 3)).map(text).sort()).toEqual(['a0', 'a1', 'a2']);
      expect((await readBack(context, second, 2)).map(text)).toEqual(['b0', 'b1']);
    });

    test('appendMany with an unknown topic writes nothing', async ({ expect }) => {
      const topic = await freshTopic('many-none');
      const missing = `contract-missing-${randomBytes(5).toString('hex')}`;
      await expect(
        log().appendMany([
          { topic, records: [{ key: 'k', value: Buffer.from('x') }] },
          { topic: missing, records: [{ key: 'k', value: Buffer.from('y') }] },
        ]),
      ).rejects.toMatchObject({ code: LogErrorCode.UnknownTopic });
      await expect(log().offsets(topic)).resolves.toEqual([{ partition: 0, low: 0, high: 0 }]);
    });

    test('headers, null keys, null and empty values round-trip', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('shapes');
      const input: AppendRecord[] = [
        { key: null, value: null },
        {
          key: null,
          value: Buffer.from('{"a":1}'),
          headers: {
            ce_specversion: '1.0',
            ce_id: 'e-1',
            ce_subject: 'ünïcødé ✓ 鍵',
            'content-type': 'application/json',
            empty: '',
          },
        },
        { key: 'tombstone', value: null, headers: { ce_id: 'e-2' } },
        { key: 'empty', value: Buffer.alloc(0) },
      ];
      await log().append(topic, input);
      const records = await readBack(context, topic, input.length);
      expect(
        records.map((r) => ({
          key: r.key,
          value: r.value === null ? null : r.value.toString('utf8'),
          headers: r.headers,
        })),
      ).toEqual(
        input.map((r) => ({
          key: r.key,
          value: r.value === null ? null : r.value.toString('utf8'),
          headers: r.headers ?? {},
        })),
      );
    });

    test('null keys are spread over partitions', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('spread', 4);
      const results = await log().append(
        topic,
        Array.from({ length: 40 }, (_, i) => ({ key: null, value: Buffer.from(`${i}`) })),
      );
      expect(new Set(results.map((r) => r.partition)).size).toBeGreaterThan(1);
      expect((await readBack(context, topic, 40)).map(text).sort()).toEqual(
        Array.from({ length: 40 }, (_, i) => `${i}`).sort(),
      );
    });

    test('backpressure: a slow onBatch gets everything in order, once, one batch at a time', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('backpressure', 3);
      const appendRound = (round: number) =>
        log().append(
          topic,
          Array.from({ length: 400 }, (_, i) => ({
            key: `k${i % 31}`,
            value: Buffer.from(`${round}:${i}`),
          })),
        );
      await appendRound(0);
      let inFlight = 0;
      let mostInFlight = 0;
      const { records, batches, reader } = collect(
        context,
        { topic, otherwise: 'earliest' },
        async () => {
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          // Slow on purpose; nothing below depends on how long this takes.
          await delay(5);
          inFlight--;
        },
      );
      await reader.ready;
      await Promise.all([appendRound(1), appendRound(2)]);
      await waitForCount(records, 1200, 'all 1200 records');
      expect(mostInFlight).toBe(1);
      expect(records.map(text).sort()).toEqual(
        [0, 1, 2].flatMap((round) => Array.from({ length: 400 }, (_, i) => `${round}:${i}`)).sort(),
      );
      for (const batch of batches) {
        expect(batch.topic).toBe(topic);
        expect(batch.records.every((r) => r.partition === batch.partition)).toBe(true);
        expect(batch.highWatermark).toBeGreaterThan(batch.records.at(-1)!.offset);
      }
      for (const partition of [0, 1, 2]) {
        const offsets = records.filter((r) => r.partition === partition).map((r) => r.offset);
        expectIncreasing(expect, offsets);
      }
    });

    test('closing a reader resolves done and stops its deliveries', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('close');
      const { records, reader } = collect(context, { topic, otherwise: 'latest' });
      await reader.ready;
      await log().append(topic, [{ key: 'k', value: Buffer.from('before close') }]);
      await waitForCount(records, 1, 'the first record');
      await reader.close();
      await expect(reader.done).resolves.toBeUndefined();
      await log().append(topic, [{ key: 'k', value: Buffer.from('after close') }]);
      // Once another reader has seen the second record, the closed one would have too.
      await readBack(context, topic, 2);
      expect(records.map(text)).toEqual(['before close']);
    });

    test('a failing onBatch ends the reader and rejects done', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('failing');
      let calls = 0;
      const { reader } = collect(context, { topic, otherwise: 'earliest' }, async () => {
        calls++;
        throw new Error('subscriber broke');
      });
      await reader.ready;
      await log().append(topic, [{ key: 'k', value: Buffer.from('x') }]);
      await expect(reader.done).rejects.toThrow('subscriber broke');
      await log().append(topic, [{ key: 'k', value: Buffer.from('y') }]);
      await readBack(context, topic, 2);
      expect(calls).toBe(1);
    });

    /** A group reader that keeps what it receives and what it holds; closed when the test ends. */
    function joinGroup(
      context: TestContext,
      options: Omit<GroupReadOptions, 'onBatch' | 'onAssigned'>,
      onBatch?: (batch: RecordBatch) => Promise<void> | void,
    ): { records: LogRecord[]; held: () => readonly TopicPartition[]; reader: GroupReader } {
      const records: LogRecord[] = [];
      let held: readonly TopicPartition[] = [];
      const reader = log().readGroup({
        ...options,
        onAssigned: (partitions) => (held = partitions),
        onBatch: (batch) => {
          records.push(...batch.records);
          return onBatch?.(batch);
        },
      });
      context.onTestFinished(() => reader.close());
      return { records, held: () => held, reader };
    }

    const freshGroup = (label: string) =>
      `contract-group-${label}-${randomBytes(5).toString('hex')}`;
    const values = (count: number, prefix = '') =>
      Array.from({ length: count }, (_, i) => ({
        key: `k${i}`,
        value: Buffer.from(`${prefix}${i}`),
      }));

    test('a group starts where asked, commits that start, and a later reader continues from the commit', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('group-start', 2);
      const group = freshGroup('start');
      await log().append(topic, values(10, 'old'));
      const first = joinGroup(context, { group, topics: [topic], otherwise: 'latest' });
      await first.reader.ready;
      await waitFor(() => first.held().length === 2, {
        timeoutMs: waitTimeoutMs,
        what: 'both partitions',
      });
      // The start (latest) is the group's position before anything is read.
      const atStart = await waitFor(
        async () => {
          const offsets = (await log().groupOffsets(group)).get(topic);
          return offsets?.size === 2 ? offsets : undefined;
        },
        { timeoutMs: waitTimeoutMs, what: 'the committed start' },
      );
      const ends = await log().offsets(topic);
      for (const { partition, high } of ends) expect(atStart.get(partition)).toBe(high);
      await log().append(topic, values(6, 'new'));
      await waitForCount(first.records, 6, 'the six new records');
      expect(first.records.map(text).sort()).toEqual(
        values(6, 'new')
          .map((r) => r.value.toString())
          .sort(),
      );
      // Commit half: the next reader gets the rest again, whatever its own start says.
      const byPartition = new Map<number, LogRecord[]>();
      for (const r of first.records)
        byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
      const kept: string[] = [];
      for (const [partition, records] of byPartition) {
        await expect(first.reader.commit(topic, partition, records[0]!.offset + 1)).resolves.toBe(
          true,
        );
        kept.push(...records.slice(1).map(text));
      }
      await first.reader.close();
      await expect(first.reader.commit(topic, 0, 0)).resolves.toBe(false);
      const second = joinGroup(context, { group, topics: [topic], otherwise: 'earliest' });
      await second.reader.ready;
      await waitForCount(second.records, kept.length, 'the uncommitted records');
      expect(second.records.map(text).sort()).toEqual(kept.sort());
      await expect(log().listGroups('contract-group-start-')).resolves.toContain(group);
    });

    test('two readers of a group split the partitions; when one leaves, the other takes its partitions from the commit', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('group-split', 4);
      const group = freshGroup('split');
      const a = joinGroup(context, { group, topics: [topic], otherwise: 'earliest' });
      await a.reader.ready;
      const b = joinGroup(context, { group, topics: [topic], otherwise: 'earliest' });
      await b.reader.ready;
      await waitFor(() => a.held().length === 2 && b.held().length === 2, {
        timeoutMs: waitTimeoutMs,
        what: 'two partitions each',
      });
      await log().append(topic, values(80));
      await waitFor(() => a.records.length + b.records.length >= 80, {
        timeoutMs: waitTimeoutMs,
        what: 'all 80 records',
      });
      const all = [...a.records, ...b.records].map(text).sort();
      expect(all).toEqual(
        values(80)
          .map((r) => r.value.toString())
          .sort(),
      );
      // b commits nothing and leaves: a gets b's records again.
      const ofB = b.records.map(text).sort();
      for (const { partition } of a.held()) {
        const last = a.records.filter((r) => r.partition === partition).at(-1);
        if (last)
          await expect(a.reader.commit(topic, partition, last.offset + 1)).resolves.toBe(true);
      }
      const before = a.records.length;
      await b.reader.close();
      await waitFor(() => a.held().length === 4, {
        timeoutMs: waitTimeoutMs,
        what: 'a holding all four',
      });
      await waitFor(() => a.records.length >= before + ofB.length, {
        timeoutMs: waitTimeoutMs,
        what: "b's records again",
      });
      expect(a.records.slice(before).map(text).sort()).toEqual(ofB);
    });

    test('a pending onBatch holds back its own partition only', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('group-hold', 2);
      const group = freshGroup('hold');
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let stuckPartition: number | undefined;
      const reader = joinGroup(
        context,
        { group, topics: [topic], otherwise: 'earliest' },
        (batch) => {
          stuckPartition ??= batch.partition;
          return batch.partition === stuckPartition ? held : undefined;
        },
      );
      await reader.reader.ready;
      const results = await log().append(topic, values(40));
      const perPartition = (p: number) => results.filter((r) => r.partition === p).length;
      await waitFor(() => stuckPartition !== undefined, {
        timeoutMs: waitTimeoutMs,
        what: 'a first batch',
      });
      const other = stuckPartition === 0 ? 1 : 0;
      await waitFor(
        () => reader.records.filter((r) => r.partition === other).length === perPartition(other),
        { timeoutMs: waitTimeoutMs, what: 'the other partition in full' },
      );
      release();
      await waitForCount(reader.records, 40, 'all 40 records');
      expect(new Set(reader.records.map(text)).size).toBe(40);
    });

    test('setGroupOffsets moves a group without readers', async (context) => {
      const { expect } = context;
      const topic = await freshTopic('group-set', 1);
      const group = freshGroup('set');
      await log().append(topic, values(5));
      await log().setGroupOffsets(group, topic, new Map([[0, 3]]));
      await expect(log().groupOffsets(group)).resolves.toEqual(
        new Map([[topic, new Map([[0, 3]])]]),
      );
      const reader = joinGroup(context, { group, topics: [topic], otherwise: 'earliest' });
      await reader.reader.ready;
      await waitForCount(reader.records, 2, 'the two records after offset 3');
      expect(reader.records.map(text)).toEqual(['3', '4']);
    });
  });
}

/** Strictly increasing: in order, each once (gaps allowed, as Kafka leaves for markers). */
function expectIncreasing(expect: ExpectStatic, offsets: readonly number[]): void {
  expect(offsets.every((offset, i) => i === 0 || offset > offsets[i - 1]!)).toBe(true);
}
