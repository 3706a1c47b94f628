/**
 * The catch-up queue on the embedded log: reads take turns by owner, nearby reads share one
 * fetch, and nothing waiting is ever refused. The log's fetches are held at a gate the test
 * opens one at a time, so the order in which they run is observed, not timed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CatchUpReads } from '../../src/fanout/catch-up.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import type { EventLog, FetchOptions, FetchResult } from '../../src/log/event-log.js';
import { waitFor } from '../support/wait-for.js';
import { appendRecords, decodeTestEvent, type TestEvent } from './fanout-harness.js';

let dataDir: string;
let log: EventLog;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'streamgate-catch-up-'));
  log = createEmbeddedLog({ dataDir, fsync: 'never' });
  await log.connect();
});
afterAll(async () => {
  await log?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The real log, with each fetch waiting until the test lets it through. */
function gatedLog() {
  const started: FetchOptions[] = [];
  const gates: (() => void)[] = [];
  const gated = {
    fetch(options: FetchOptions): Promise<FetchResult> {
      started.push(options);
      return new Promise<void>((open) => gates.push(open)).then(() => log.fetch(options));
    },
  } as EventLog;
  return {
    log: gated,
    started,
    /** Lets the oldest waiting fetch run. */
    openOne() {
      gates.shift()?.();
    },
  };
}

async function topicWith(name: string, records: number): Promise<string> {
  await log.createTopic({ name, partitions: 1 });
  await appendRecords(log, name, { count: records, partitions: 1 });
  return name;
}

it('takes one owner in turn with the others: a token with many catch-ups cannot keep another waiting', async () => {
  const busyTopics = await Promise.all(
    Array.from({ length: 6 }, (_, i) => topicWith(`busy-${i}`, 3)),
  );
  const quiet = await topicWith('quiet', 3);
  const gate = gatedLog();
  const reads = new CatchUpReads<TestEvent>({
    log: gate.log,
    decode: decodeTestEvent,
    concurrency: 1,
    cacheBytes: 1 << 20,
    chunkBytes: 1 << 16,
  });
  const busy = busyTopics.map((topic) => reads.read(topic, 0, 0, 'busy-token'));
  const quietRead = reads.read(quiet, 0, 0, 'quiet-token');
  expect(reads.stats()).toMatchObject({ running: 1, queued: 6 });

  // The first busy fetch was already running; the quiet token's comes right after it.
  await waitFor(() => gate.started.length === 1, { what: 'the first fetch' });
  gate.openOne();
  await waitFor(() => gate.started.length === 2, { what: 'the second fetch' });
  expect(gate.started.map((f) => f.topic)).toEqual(['busy-0', 'quiet']);
  gate.openOne();
  const chunk = await quietRead;
  expect(chunk.entries.map((entry) => entry.event.value.split('.')[0])).toEqual([
    'r-0',
    'r-1',
    'r-2',
  ]);
  for (let i = 0; i < 5; i++) {
    await waitFor(() => gate.started.length === 3 + i, { what: 'the next busy fetch' });
    gate.openOne();
  }
  expect((await Promise.all(busy)).map((c) => c.entries.length)).toEqual([3, 3, 3, 3, 3, 3]);
  expect(reads.stats()).toMatchObject({ running: 0, queued: 0 });
});

it('serves reads at nearby offsets of a partition with one fetch, and from the kept chunk afterwards', async () => {
  const topic = await topicWith('shared', 40);
  const gate = gatedLog();
  const reads = new CatchUpReads<TestEvent>({
    log: gate.log,
    decode: decodeTestEvent,
    concurrency: 1,
    cacheBytes: 1 << 20,
    chunkBytes: 1 << 16,
  });
  // One fetch runs (another topic), so these wait in the queue together.
  const other = await topicWith('other', 1);
  const blocking = reads.read(other, 0, 0, 'a');
  const waiting = [20, 25, 10].map((offset, i) => reads.read(topic, 0, offset, `owner-${i}`));
  expect(reads.stats().queued).toBe(1);
  gate.openOne();
  await blocking;
  await waitFor(() => gate.started.length === 2, { what: 'the shared fetch' });
  // It starts at the lowest offset asked for, and covers all three.
  expect(gate.started[1]).toMatchObject({ topic, partition: 0, offset: 10 });
  gate.openOne();
  const chunks = await Promise.all(waiting);
  expect(new Set(chunks).size).toBe(1);
  expect(chunks[0]!.entries[0]!.offset).toBe(10);
  // A later read inside the chunk needs no fetch at all.
  const again = await reads.read(topic, 0, 30, 'owner-3');
  expect(again).toBe(chunks[0]);
  expect(gate.started).toHaveLength(2);
});

it('fails what waits when closed, and every read after', async () => {
  const topic = await topicWith('closing', 2);
  const gate = gatedLog();
  const reads = new CatchUpReads<TestEvent>({
    log: gate.log,
    decode: decodeTestEvent,
    concurrency: 1,
    cacheBytes: 1 << 20,
    chunkBytes: 1 << 16,
  });
  const running = reads.read(topic, 0, 0, 'a');
  const queued = reads.read(topic, 0, 1000, 'b');
  const closed = new Error('closed');
  reads.close(closed);
  await expect(queued).rejects.toBe(closed);
  await expect(reads.read(topic, 0, 0, 'c')).rejects.toBe(closed);
  gate.openOne();
  await running;
});
