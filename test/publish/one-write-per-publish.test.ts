import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createPublisher } from '../../src/events/publisher.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import type { AppendRecord, EventLog } from '../../src/log/event-log.js';
import { createEndOffsetsCache } from '../../src/log/end-offsets.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real embedded log that notes the records of each appendMany call (each a produce request). */
async function countingLog(): Promise<{ log: EventLog; writes: string[][] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-publisher-'));
  const inner = createEmbeddedLog({ dataDir });
  await inner.connect();
  cleanups.push(async () => {
    await inner.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const writes: string[][] = [];
  const log: EventLog = {
    kind: inner.kind,
    connect: () => inner.connect(),
    close: () => inner.close(),
    healthy: () => inner.healthy(),
    damage: () => inner.damage(),
    createTopic: (spec) => inner.createTopic(spec),
    describeTopic: (name) => inner.describeTopic(name),
    listTopics: () => inner.listTopics(),
    append: (topic, records) => inner.append(topic, records),
    offsets: (topic) => inner.offsets(topic),
    offsetsForTime: (topic, at) => inner.offsetsForTime(topic, at),
    read: (options) => inner.read(options),
    fetch: (options) => inner.fetch(options),
    readGroup: (options) => inner.readGroup(options),
    groupOffsets: (group) => inner.groupOffsets(group),
    listGroups: (prefix) => inner.listGroups(prefix),
    setGroupOffsets: (group, topic, offsets) => inner.setGroupOffsets(group, topic, offsets),
    appendMany(batches) {
      writes.push(batches.flatMap((b) => b.records.map((r) => r.value?.toString() ?? '')));
      return inner.appendMany(batches);
    },
  };
  return { log, writes };
}

const batch = (name: string, count: number, stream = 'orders') =>
  Array.from({ length: count }, (_, i) => ({
    stream,
    record: { key: `${name}-${i}`, value: Buffer.from(`${name}-${i}`) } satisfies AppendRecord,
  }));

describe('one write per publish', () => {
  test('concurrent batches over the merge limit are never split between two writes', async () => {
    const { log, writes } = await countingLog();
    await log.createTopic({ name: 'orders', partitions: 3 });
    await log.createTopic({ name: 'audit', partitions: 2 });
    const publisher = createPublisher({ log, maxBatchRecords: 10 });

    const sizes = [6, 6, 1, 12, 3, 4];
    const results = await Promise.all(
      sizes.map((size, i) => publisher.append(batch(`b${i}`, size, i % 2 ? 'audit' : 'orders'))),
    );

    // Every publish lies inside exactly one write, whole.
    for (const [i, size] of sizes.entries()) {
      const holding = writes.filter((w) => w.some((v) => v.startsWith(`b${i}-`)));
      expect(holding).toHaveLength(1);
      expect(holding[0]!.filter((v) => v.startsWith(`b${i}-`))).toHaveLength(size);
      expect(results[i]).toHaveLength(size);
    }
    // Publishes were merged up to the limit; the one over it went alone.
    expect(writes.length).toBeLessThan(sizes.length);
    expect(writes.some((w) => w.length === 12)).toBe(true);
  });

  test('a refused write fails every publish in it and writes none of them', async () => {
    const { log, writes } = await countingLog();
    await log.createTopic({ name: 'orders' });
    const publisher = createPublisher({ log });
    const outcomes = await Promise.allSettled([
      publisher.append(batch('good', 3)),
      publisher.append(batch('bad', 2, 'no-such-stream')),
    ]);
    expect(writes).toHaveLength(1);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((await log.offsets('orders'))[0]!.high).toBe(0);
  });
});

describe('end offsets cache', () => {
  test('publish cursors and metrics share one answer within its age', async () => {
    const { log } = await countingLog();
    await log.createTopic({ name: 'orders', partitions: 2 });
    let asked = 0;
    const counted: EventLog = { ...log, offsets: (t) => (asked++, log.offsets(t)) };
    const cache = createEndOffsetsCache(counted, { maxAgeMs: 60_000 });
    const first = await cache.before('orders', Date.now());
    const scraped = await cache.recent(['orders']);
    await cache.before('orders', Date.now());
    expect(asked).toBe(1);
    expect(scraped.get('orders')).toEqual(first);
    // A publish acknowledged before the cached answer was asked for gets a fresh one.
    await cache.before('orders', 0);
    expect(asked).toBe(2);
  });
});
