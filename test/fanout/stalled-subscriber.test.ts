/**
 * A subscriber that reads nothing while 100k events flow: its memory stays within its bound and
 * everyone else gets every event. Functional, not timed: nothing here depends on speed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFanout, type FanoutSubscription } from '../../src/fanout/fanout.js';
import { Subscriber } from '../../src/fanout/subscriber.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import type { EventLog } from '../../src/log/event-log.js';
import { waitFor } from '../support/wait-for.js';
import { appendRecords, decodeTestEvent, everything, type TestEvent } from './fanout-harness.js';

const EVENTS = 100_000;
const PARTITIONS = 4;
const MAX_QUEUE_BYTES = 64 * 1024;
/** The hot window's bound: it keeps the recent past for resumes, and no more than this. */
const HOT_WINDOW_BYTES = 4 * 1024 * 1024;

let dataDir: string;
let log: EventLog;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'streamgate-stalled-'));
  log = createEmbeddedLog({ dataDir, fsync: 'never' });
  await log.connect();
});
afterAll(async () => {
  await log?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A consumer that keeps no events, only checks that each partition's offsets follow on. */
class CountingConsumer {
  count = 0;
  outOfOrder = 0;
  private readonly next = new Map<number, number>();

  constructor(subscription: FanoutSubscription<TestEvent>, start: ReadonlyMap<number, number>) {
    for (const [partition, offset] of start) this.next.set(partition, offset);
    void this.run(subscription);
  }

  private async run(subscription: FanoutSubscription<TestEvent>): Promise<void> {
    for await (const item of subscription) {
      if ('error' in item) throw item.error;
      const { partition, offset } = item.event;
      if (this.next.get(partition) !== offset) this.outOfOrder++;
      this.next.set(partition, offset + 1);
      this.count++;
    }
  }
}

/** The garbage collector: from `--expose-gc`, or by setting the V8 flag at run time. */
function collector(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('cannot reach the garbage collector');
  return gc as () => void;
}

function heapAfterCollecting(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

it(
  'a subscriber that reads nothing while 100k events flow holds at most its queue bound, and the others get every event',
  { timeout: 120_000 },
  async () => {
    const topic = 'stalled';
    await log.createTopic({ name: topic, partitions: PARTITIONS });
    const fanout = createFanout<TestEvent>({
      log,
      decode: decodeTestEvent,
      maxQueueBytes: MAX_QUEUE_BYTES,
      hotWindowBytes: HOT_WINDOW_BYTES,
    });
    try {
      const start = await fanout.tailPositions(topic);
      const positions = new Map([[topic, start]]);
      const stalled = fanout.subscribe({ start: positions, filter: everything });
      expect(stalled).toBeInstanceOf(Subscriber);
      const stalledState = stalled as Subscriber<TestEvent>;
      const readers = [0, 1, 2].map(
        () =>
          new CountingConsumer(fanout.subscribe({ start: positions, filter: everything }), start),
      );
      const gc = collector();
      const heapBefore = heapAfterCollecting(gc);

      let mostQueued = 0;
      for (let sent = 0; sent < EVENTS; sent += 5_000) {
        await appendRecords(log, topic, {
          count: 5_000,
          partitions: PARTITIONS,
          batch: 500,
          label: `e${sent}`,
          bytes: 48,
        });
        mostQueued = Math.max(mostQueued, stalledState.queuedBytes);
        expect(stalledState.queuedBytes).toBeLessThanOrEqual(MAX_QUEUE_BYTES);
      }
      await waitFor(() => readers.every((r) => r.count >= EVENTS), {
        timeoutMs: 60_000,
        what: 'every reading subscriber to get every event',
      });
      for (const reader of readers) expect(reader).toMatchObject({ count: EVENTS, outOfOrder: 0 });

      // The stalled one still reads nothing: it left the live fan-out and its catch-up reader
      // waits for it, holding no more than the bound.
      expect(stalledState.catchingUp).toBe(true);
      expect(stalledState.queuedBytes).toBeLessThanOrEqual(MAX_QUEUE_BYTES);
      expect(mostQueued).toBeGreaterThan(MAX_QUEUE_BYTES / 2);
      expect(fanout.stats()).toMatchObject({ tailReaders: 1, catchingUp: 1, subscribers: 4 });

      // 100k queued events would hold well over 30 MB; the bounds are 64 KiB plus one read batch
      // for the stalled subscriber, and the hot window's 4 MiB (its size is an estimate of
      // what entries hold, so allow it twice) for the tail.
      const growth = heapAfterCollecting(gc) - heapBefore;
      expect(fanout.stats().hotWindowBytes).toBeLessThanOrEqual(HOT_WINDOW_BYTES);
      expect(growth).toBeLessThan(2 * HOT_WINDOW_BYTES + 12 * 1024 * 1024);

      // Once it reads again, it gets every event, in order, none lost while it stalled.
      const late = new CountingConsumer(stalled, start);
      await waitFor(() => late.count >= EVENTS, {
        timeoutMs: 60_000,
        what: 'the stalled subscriber to catch up',
      });
      expect(late).toMatchObject({ count: EVENTS, outOfOrder: 0 });
    } finally {
      await fanout.close();
    }
  },
);
