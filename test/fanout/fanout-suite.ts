/**
 * The fan-out's behaviour, run against each EventLog adapter (embedded-fanout.test.ts and
 * kafka-fanout.test.ts): what a subscriber receives, in which order, with which cursors, and
 * what happens when it cannot keep up or a reader fails.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ItemMapper } from '../../src/fanout/delivery.js';
import { createFanout, type Fanout, type FanoutOptions } from '../../src/fanout/fanout.js';
import type { PartitionPositions, Positions } from '../../src/fanout/positions.js';
import type { EventLog, LogRecord, TopicSpec } from '../../src/log/event-log.js';
import { uniqueTopic } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';
import {
  appendRecords,
  byPartition,
  decodeTestEvent,
  earliest,
  everything,
  expectExactCursors,
  expectSequences,
  plain,
  TestConsumer,
  type TestEvent,
} from './fanout-harness.js';

export interface FanoutSuiteLog {
  readonly log: EventLog;
  /** Makes every record of the topic expire (moves each low watermark to the high one). */
  readonly expireRecords: (topic: string) => Promise<void>;
  /** A second log of the same kind, for a test that closes it under a fan-out. */
  readonly openAnotherLog: () => Promise<EventLog>;
  readonly teardown: () => Promise<void>;
}

export function describeFanoutSuite(
  name: string,
  setup: () => Promise<FanoutSuiteLog>,
  { waitTimeoutMs }: { waitTimeoutMs: number },
): void {
  describe(`fan-out on the ${name} log`, () => {
    let suite: FanoutSuiteLog;
    let log: EventLog;
    beforeAll(async () => {
      suite = await setup();
      log = suite.log;
    });
    afterAll(() => suite?.teardown());

    const fanouts: Fanout<TestEvent>[] = [];
    afterEach(async () => {
      await Promise.all(fanouts.splice(0).map((fanout) => fanout.close()));
    });

    function openFanout(options: Partial<FanoutOptions<TestEvent>> = {}): Fanout<TestEvent> {
      const fanout = createFanout<TestEvent>({ log, decode: decodeTestEvent, ...options });
      fanouts.push(fanout);
      return fanout;
    }

    async function newTopic(partitions: number, spec: Partial<TopicSpec> = {}): Promise<string> {
      const topic = uniqueTopic('fanout');
      await log.createTopic({ name: topic, partitions, ...spec });
      return topic;
    }

    const wait = <T>(check: () => T | Promise<T>, what: string) =>
      waitFor(check, { timeoutMs: waitTimeoutMs, what });

    async function latest(fanout: Fanout<TestEvent>, ...streams: string[]): Promise<Positions> {
      return new Map(
        await Promise.all(streams.map(async (s) => [s, await fanout.tailPositions(s)] as const)),
      );
    }

    it('a subscription from latest receives only the records appended after it started', async () => {
      const topic = await newTopic(2);
      await appendRecords(log, topic, { count: 10, partitions: 2, label: 'old' });
      const fanout = openFanout();
      const start = await latest(fanout, topic);
      // The end of each partition: past its 5 records (and, on Kafka, a transaction marker that
      // takes an offset of its own after a batch spanning partitions).
      const ends = new Map((await log.offsets(topic)).map((o) => [o.partition, o.high]));
      expect(plain(start)).toEqual({ [topic]: [...ends].sort((a, b) => a[0] - b[0]) });
      expect([...ends.values()].every((end) => end >= 5)).toBe(true);
      const consumer = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const appended = await appendRecords(log, topic, { count: 10, partitions: 2, label: 'new' });
      await wait(() => consumer.events.length >= 10, 'the 10 new records');
      expectSequences(consumer.events, topic, appended);
      expect(consumer.events.every((e) => e.value.startsWith('new-'))).toBe(true);
      expectExactCursors(consumer.deliveries, start);
    });

    it('from earliest it delivers the history, then goes on live with no gap and no repeat while appends run', async () => {
      const topic = await newTopic(3);
      const before = await appendRecords(log, topic, { count: 600, partitions: 3, label: 'old' });
      const fanout = openFanout();
      const start = new Map([[topic, await earliest(log, topic)]]);
      const consumer = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const during = await appendRecords(log, topic, {
        count: 1200,
        partitions: 3,
        batch: 10,
        label: 'during',
      });
      await wait(() => consumer.events.length >= 1800, 'history and concurrent records');
      await wait(
        () => !consumer.subscription.catchingUp && fanout.stats().catchingUp === 0,
        'the subscription to join the tail',
      );
      const after = await appendRecords(log, topic, { count: 30, partitions: 3, label: 'after' });
      await wait(() => consumer.events.length >= 1830, 'the live records');
      expectSequences(consumer.events, topic, [...before, ...during, ...after]);
      expectExactCursors(consumer.deliveries, start);

      // The cursor of any event resumes right after it: exactly the events that followed.
      const index = 1000;
      const resumedFrom = consumer.deliveries[index]!.positions;
      const resumed = new TestConsumer(
        fanout.subscribe({ start: resumedFrom, filter: everything }),
      );
      await wait(() => resumed.events.length >= 1830 - index - 1, 'the resumed subscription');
      expect(byPartition(resumed.events)).toEqual(byPartition(consumer.events.slice(index + 1)));
      expectExactCursors(resumed.deliveries, resumedFrom);
    });

    it('one subscription reads several streams, each in order, with cursors covering all of them', async () => {
      const a = await newTopic(2);
      const b = await newTopic(1);
      const aBefore = await appendRecords(log, a, { count: 100, partitions: 2, label: 'a-old' });
      const fanout = openFanout();
      // Stream a from its beginning (a catch-up reader), stream b from now (the tail at once).
      const start: Positions = new Map([
        [a, await earliest(log, a)],
        [b, await fanout.tailPositions(b)],
      ]);
      const consumer = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const [aDuring, bDuring] = await Promise.all([
        appendRecords(log, a, { count: 200, partitions: 2, batch: 10, label: 'a-new' }),
        appendRecords(log, b, { count: 200, partitions: 1, batch: 10, label: 'b-new' }),
      ]);
      await wait(() => consumer.events.length >= 500, 'the records of both streams');
      expectSequences(consumer.events, a, [...aBefore, ...aDuring]);
      expectSequences(consumer.events, b, bDuring);
      expectExactCursors(consumer.deliveries, start);
      expect(fanout.stats().tailReaders).toBe(2);
    });

    it('takes waiting for records each get the next one in order, as their own mapper maps it; the end answers the takes left', async () => {
      const topic = await newTopic(1);
      const fanout = openFanout();
      const subscription = fanout.subscribe({
        start: await latest(fanout, topic),
        filter: everything,
      });
      // What the GraphQL layer does with a take: the consumer gets the mapped item, not the item.
      const tagged = (tag: string): ItemMapper<TestEvent, string> => ({
        mapItem: (item) => {
          if ('error' in item) throw item.error;
          if (tag === 'broken') throw new Error('the mapper failed');
          return { value: `${tag}@${item.event.offset}`, done: false };
        },
        mapEnd: () => ({ value: `${tag} ended`, done: true }),
      });
      const takes = ['a', 'broken', 'c', 'd', 'e'].map((tag) =>
        subscription.nextMapped(tagged(tag)).then(
          (step) => step.value,
          (error: unknown) => `rejected: ${(error as Error).message}`,
        ),
      );
      const appended = await appendRecords(log, topic, { count: 3, partitions: 1 });
      const offsets = appended.map((a) => a.offset);
      expect(await Promise.all(takes.slice(0, 3))).toEqual([
        `a@${offsets[0]}`,
        'rejected: the mapper failed',
        `c@${offsets[2]}`,
      ]);
      subscription.end();
      expect(await Promise.all(takes.slice(3))).toEqual(['d ended', 'e ended']);
      expect(await subscription.next()).toEqual({ value: undefined, done: true });
    });

    it('runs one tail reader per stream, however many subscribers', async () => {
      const a = await newTopic(2);
      const b = await newTopic(1);
      const fanout = openFanout({ tailLingerMs: 0 });
      const [startA, startB] = [await latest(fanout, a), await latest(fanout, b)];
      const both: Positions = new Map([...startA, ...startB]);
      const consumers = [
        ...Array.from({ length: 20 }, () =>
          fanout.subscribe({ start: startA, filter: everything }),
        ),
        ...Array.from({ length: 5 }, () => fanout.subscribe({ start: startB, filter: everything })),
        ...Array.from({ length: 5 }, () => fanout.subscribe({ start: both, filter: everything })),
      ].map((subscription) => new TestConsumer(subscription));
      expect(fanout.stats()).toMatchObject({ tailReaders: 2, subscribers: 30 });

      const [toA, toB] = await Promise.all([
        appendRecords(log, a, { count: 10, partitions: 2, label: 'a' }),
        appendRecords(log, b, { count: 10, partitions: 1, label: 'b' }),
      ]);
      await wait(
        () => consumers.every((c, i) => c.events.length >= (i < 25 ? 10 : 20)),
        'every subscriber to receive its records',
      );
      consumers.forEach((consumer, i) => {
        if (i < 20 || i >= 25) expectSequences(consumer.events, a, toA);
        if (i >= 20) expectSequences(consumer.events, b, toB);
      });
      expect(fanout.stats()).toMatchObject({ tailReaders: 2, catchingUp: 0, subscribers: 30 });

      await Promise.all(consumers.map((c) => c.subscription.return()));
      await wait(() => fanout.stats().tailReaders === 0, 'unused tail readers to close');
      expect(fanout.stats().subscribers).toBe(0);
    });

    it('a slow subscriber leaves the live fan-out, catches up, rejoins, and gets every record once, without slowing the others', async () => {
      const topic = await newTopic(2);
      const maxQueueBytes = 8 * 1024;
      const fanout = openFanout({ maxQueueBytes });
      const start = await latest(fanout, topic);
      const fast = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const slow = new TestConsumer(fanout.subscribe({ start, filter: everything }), {
        paused: true,
      });

      const first = await appendRecords(log, topic, { count: 1000, partitions: 2, label: 'a' });
      await wait(() => fast.events.length >= 1000, 'the fast subscriber to get every record');
      expectSequences(fast.events, topic, first);
      // All the while the slow one read nothing: it left the live fan-out, holding little.
      expect(slow.events).toHaveLength(0);
      expect(slow.subscription.catchingUp).toBe(true);
      expect(fanout.stats().catchingUp).toBe(1);
      expect(slow.subscription.queuedBytes).toBeGreaterThan(0);
      expect(slow.subscription.queuedBytes).toBeLessThanOrEqual(maxQueueBytes);

      slow.resume();
      await wait(() => slow.events.length >= 1000, 'the slow subscriber to catch up');
      await wait(
        () => !slow.subscription.catchingUp && fanout.stats().catchingUp === 0,
        'the slow subscriber to rejoin the tail',
      );
      const second = await appendRecords(log, topic, { count: 50, partitions: 2, label: 'b' });
      await wait(
        () => slow.events.length >= 1050 && fast.events.length >= 1050,
        'both to get the live records',
      );
      for (const consumer of [fast, slow]) {
        expectSequences(consumer.events, topic, [...first, ...second]);
        expectExactCursors(consumer.deliveries, start);
      }
    });

    it('a subscription stalled on several streams at once catches up on all of them', async () => {
      const a = await newTopic(1);
      const b = await newTopic(2);
      const fanout = openFanout({ maxQueueBytes: 4096 });
      const start = await latest(fanout, a, b);
      const consumer = new TestConsumer(fanout.subscribe({ start, filter: everything }), {
        paused: true,
      });
      const [toA, toB] = await Promise.all([
        appendRecords(log, a, { count: 300, partitions: 1, batch: 10, label: 'a' }),
        appendRecords(log, b, { count: 300, partitions: 2, batch: 10, label: 'b' }),
      ]);
      await wait(
        () => consumer.subscription.queuedBytes > 0 && consumer.subscription.catchingUp,
        'the stalled subscription to leave the live fan-out',
      );
      consumer.resume();
      await wait(() => consumer.events.length >= 600, 'every record of both streams');
      await wait(() => !consumer.subscription.catchingUp, 'the subscription to rejoin both tails');
      expectSequences(consumer.events, a, toA);
      expectSequences(consumer.events, b, toB);
      expectExactCursors(consumer.deliveries, start);
      expect(fanout.stats().catchingUp).toBe(0);
    });

    /** The suite's log, counting the one-off fetches (the catch-up path) made through it. */
    function countingFetches(): { log: EventLog; fetches: () => number } {
      let fetches = 0;
      const counted = new Proxy(log, {
        get(target, property) {
          if (property === 'fetch') {
            return (options: Parameters<EventLog['fetch']>[0]) => {
              fetches++;
              return target.fetch(options);
            };
          }
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        },
      });
      return { log: counted, fetches: () => fetches };
    }

    it('a resume inside the hot window is served from memory, exactly, without reading the log', async () => {
      const topic = await newTopic(3);
      const counting = countingFetches();
      const fanout = openFanout({ log: counting.log });
      const start = await latest(fanout, topic);
      const live = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const appended = await appendRecords(log, topic, { count: 300, partitions: 3, batch: 7 });
      await wait(() => live.events.length >= 300, 'the live records');

      // Cursors from the first event to the last, as clients resuming after a blip would hold.
      const resumes = [0, 1, 150, 298, 299].map((index) => {
        const from = live.deliveries[index]!.positions;
        return {
          index,
          from,
          consumer: new TestConsumer(fanout.subscribe({ start: from, filter: everything })),
        };
      });
      const more = await appendRecords(log, topic, { count: 30, partitions: 3, label: 'more' });
      for (const { index, from, consumer } of resumes) {
        const expected = [...appended, ...more].filter(
          (r) => r.offset >= (from.get(topic)!.get(r.partition) ?? 0),
        );
        expect(expected).toHaveLength(330 - index - 1);
        await wait(() => consumer.events.length >= expected.length, `the resume after #${index}`);
        expectSequences(consumer.events, topic, expected);
        expectExactCursors(consumer.deliveries, from);
      }
      expect(counting.fetches()).toBe(0);
      expect(fanout.stats().catchingUp).toBe(0);
      // Such a cursor needs nothing from the log to start either; one past the tail, or naming
      // other partitions, does.
      for (const { from } of resumes)
        expect(fanout.heldInMemory(topic, from.get(topic)!)).toBe(true);
      const tailEnd = fanout.stats().tailPositions.get(topic)!;
      expect(fanout.heldInMemory(topic, new Map([...tailEnd].map(([p, o]) => [p, o + 1])))).toBe(
        false,
      );
      expect(fanout.heldInMemory(topic, new Map([...tailEnd].slice(1)))).toBe(false);
      expect(fanout.heldInMemory(`${topic}-unread`, tailEnd)).toBe(false);
    });

    it('resumes at, before and past the edge of a small hot window get exactly what followed their cursor, while appends go on', async () => {
      const topic = await newTopic(2);
      const counting = countingFetches();
      // Room for about 60 of these records: most cursors below lie before the window.
      const fanout = openFanout({ log: counting.log, hotWindowBytes: 60 * 330 });
      const start = await latest(fanout, topic);
      const live = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const first = await appendRecords(log, topic, { count: 400, partitions: 2, batch: 10 });
      await wait(() => live.events.length >= 400, 'the live records');

      const resumes = Array.from({ length: 40 }, (_, i) => i * 10 + 9).map((index) => {
        const from = live.deliveries[index]!.positions;
        return {
          from,
          consumer: new TestConsumer(fanout.subscribe({ start: from, filter: everything })),
        };
      });
      const during = await appendRecords(log, topic, { count: 200, partitions: 2, label: 'd' });
      await wait(() => live.events.length >= 600, 'the live records');
      for (const { from, consumer } of resumes) {
        const expected = [...first, ...during].filter(
          (r) => r.offset >= (from.get(topic)!.get(r.partition) ?? 0),
        );
        await wait(() => consumer.events.length >= expected.length, 'every resume to catch up');
        expectSequences(consumer.events, topic, expected);
        expectExactCursors(consumer.deliveries, from);
      }
      // The oldest cursors lay before the window: they read the log; the newest did not need to.
      expect(counting.fetches()).toBeGreaterThan(0);
      // And the oldest (after the 10th record) is no longer held in memory.
      expect(fanout.heldInMemory(topic, resumes[0]!.from.get(topic)!)).toBe(false);
      expect(fanout.heldInMemory(topic, live.deliveries.at(-1)!.positions.get(topic)!)).toBe(true);
      expect(fanout.stats().hotWindowBytes).toBeLessThanOrEqual(60 * 330);
      await wait(() => fanout.stats().catchingUp === 0, 'every resume to join the tail');
    });

    it('a thousand resumes before the window all wait their turn and catch up exactly, sharing fetches, within the memory bounds', async () => {
      const topic = await newTopic(2);
      const counting = countingFetches();
      const maxQueueBytes = 16 * 1024;
      const catchUpCacheBytes = 64 * 1024;
      const fanout = openFanout({
        log: counting.log,
        hotWindowBytes: 0,
        catchUpConcurrency: 1,
        catchUpCacheBytes,
        maxQueueBytes,
      });
      const appended = await appendRecords(log, topic, { count: 100, partitions: 2, batch: 20 });
      const ends = new Map((await log.offsets(topic)).map((o) => [o.partition, o.high]));
      const resumes = Array.from({ length: 1000 }, (_, i) => {
        // Cursors 1 to 50 events back on each partition, as after a deploy.
        const back = (i % 50) + 1;
        const from = new Map([
          [
            topic,
            new Map([...ends].map(([partition, end]) => [partition, Math.max(0, end - back)])),
          ],
        ]);
        return {
          from,
          consumer: new TestConsumer(fanout.subscribe({ start: from, filter: everything }), {
            paused: i % 10 === 0, // some do not read at first
          }),
        };
      });
      await wait(
        () =>
          fanout.stats().catchUp.queued + fanout.stats().catchUp.running > 0 ||
          counting.fetches() > 0,
        'catch-ups to start',
      );
      let mostCached = 0;
      let mostQueued = 0;
      await wait(() => {
        const stats = fanout.stats();
        mostCached = Math.max(mostCached, stats.catchUp.cachedBytes);
        for (const { consumer } of resumes) {
          mostQueued = Math.max(mostQueued, consumer.subscription.queuedBytes);
        }
        return resumes.every(({ consumer, from }) => {
          const owed = appended.filter(
            (r) => r.offset >= (from.get(topic)!.get(r.partition) ?? 0),
          ).length;
          return consumer.events.length >= owed || consumer.subscription.queuedBytes > 0;
        });
      }, 'every resume to get its events or queue them');
      for (const { consumer } of resumes) consumer.resume();
      for (const { from, consumer } of resumes) {
        const expected = appended.filter(
          (r) => r.offset >= (from.get(topic)!.get(r.partition) ?? 0),
        );
        await wait(() => consumer.events.length >= expected.length, 'every resume to catch up');
        expect(consumer.failure).toBeUndefined();
        expectSequences(consumer.events, topic, expected);
      }
      // Nobody was refused; nearby cursors shared fetches; memory stayed within its bounds.
      expect(counting.fetches()).toBeLessThan(100);
      expect(mostCached).toBeLessThanOrEqual(catchUpCacheBytes);
      expect(mostQueued).toBeLessThanOrEqual(maxQueueBytes);
      await wait(() => fanout.stats().catchingUp === 0, 'every resume to join the tail');
    });

    it('close() ends every subscription, live or catching up, and every reader', async () => {
      const topic = await newTopic(1);
      const fanout = openFanout({ maxQueueBytes: 4096 });
      const start = await latest(fanout, topic);
      const live = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const stalled = new TestConsumer(fanout.subscribe({ start, filter: everything }), {
        paused: true,
      });
      await appendRecords(log, topic, { count: 100, partitions: 1 });
      await wait(() => live.events.length >= 100 && stalled.subscription.catchingUp, 'fan-out');

      await fanout.close(new Error('going away'));
      expect(fanout.stats()).toMatchObject({ tailReaders: 0, catchingUp: 0, subscribers: 0 });
      await wait(() => live.done, 'the live subscription to end');
      expect((live.failure?.error as Error).message).toBe('going away');
      stalled.resume();
      await wait(() => stalled.done, 'the stalled subscription to end');
      expect((stalled.failure?.error as Error).message).toBe('going away');
      expectExactCursors(stalled.deliveries, start);

      const afterwards = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      await wait(() => afterwards.done, 'a subscription after close() to end');
      expect((afterwards.failure?.error as Error).message).toBe('going away');
      expect(fanout.stats().tailReaders).toBe(0);
    });

    it('a failing tail reader ends its subscriptions with the error; the next subscription starts a fresh one', async () => {
      const topic = await newTopic(1);
      const failures: string[] = [];
      const decode = (stream: string, record: LogRecord): TestEvent => {
        const event = decodeTestEvent(stream, record);
        if (event.value.startsWith('poison')) throw new Error(`cannot decode ${event.offset}`);
        return event;
      };
      const fanout = openFanout({ decode, onError: (_, { stream }) => failures.push(stream) });
      const start = await latest(fanout, topic);
      const consumers = [0, 1].map(
        () => new TestConsumer(fanout.subscribe({ start, filter: everything })),
      );
      const good = await appendRecords(log, topic, { count: 5, partitions: 1, label: 'good' });
      await appendRecords(log, topic, { count: 1, partitions: 1, label: 'poison' });
      await wait(() => consumers.every((c) => c.done), 'the subscriptions to end');
      for (const consumer of consumers) {
        expectSequences(consumer.events, topic, good);
        expect((consumer.failure?.error as Error).message).toBe('cannot decode 5');
        // Resuming there retries the record that failed, nothing later.
        expect(plain(consumer.failure!.positions)).toEqual({ [topic]: [[0, 5]] });
      }
      expect(failures).toEqual([topic]);
      expect(fanout.stats().tailReaders).toBe(0);

      const next = new TestConsumer(
        fanout.subscribe({ start: await latest(fanout, topic), filter: everything }),
      );
      const more = await appendRecords(log, topic, { count: 3, partitions: 1, label: 'more' });
      await wait(() => next.events.length >= 3, 'the new subscription to get records');
      expectSequences(next.events, topic, more);
      expect(fanout.stats().tailReaders).toBe(1);
    });

    it('a filter that throws ends its own subscription only', async () => {
      const topic = await newTopic(1);
      const fanout = openFanout();
      const start = await latest(fanout, topic);
      const broken = new TestConsumer(
        fanout.subscribe({
          start,
          filter: (event) => {
            if (event.offset === 2) throw new Error('filter broke');
            return true;
          },
        }),
      );
      const healthy = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const appended = await appendRecords(log, topic, { count: 6, partitions: 1 });
      await wait(() => broken.done && healthy.events.length >= 6, 'the records');
      expect(broken.events.map((e) => e.offset)).toEqual([0, 1]);
      expect((broken.failure?.error as Error).message).toBe('filter broke');
      expect(plain(broken.failure!.positions)).toEqual({ [topic]: [[0, 2]] });
      expectSequences(healthy.events, topic, appended);
      expect(healthy.done).toBe(false);
      expect(fanout.stats()).toMatchObject({ tailReaders: 1, subscribers: 1 });
    });

    it('a failing catch-up reader ends its subscription with the error after the records before it', async () => {
      const topic = await newTopic(1);
      const decode = (stream: string, record: LogRecord): TestEvent => {
        const event = decodeTestEvent(stream, record);
        if (event.value.startsWith('poison')) throw new Error(`cannot decode ${event.offset}`);
        return event;
      };
      const good = await appendRecords(log, topic, { count: 20, partitions: 1, label: 'good' });
      await appendRecords(log, topic, { count: 1, partitions: 1, label: 'poison' });
      await appendRecords(log, topic, { count: 5, partitions: 1, label: 'later' });
      const fanout = openFanout({ decode });
      const start = new Map([[topic, new Map([[0, 0]])]]);
      const consumer = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      await wait(() => consumer.done, 'the subscription to end');
      expectSequences(consumer.events, topic, good);
      expect((consumer.failure?.error as Error).message).toBe('cannot decode 20');
      expect(plain(consumer.failure!.positions)).toEqual({ [topic]: [[0, 20]] });
      expect(fanout.stats()).toMatchObject({ catchingUp: 0, subscribers: 0 });
    });

    it('a subscription to a stream that cannot be read ends with the error, and the stream works once it exists', async () => {
      const topic = uniqueTopic('fanout-missing');
      const fanout = openFanout();
      const start = new Map([[topic, new Map([[0, 0]])]]);
      const first = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      await wait(() => first.done, 'the subscription to end');
      expect(first.failure?.error).toBeInstanceOf(Error);
      await wait(() => fanout.stats().tailReaders === 0, 'the failed tail to leave the pool');

      await log.createTopic({ name: topic, partitions: 1 });
      const second = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const appended = await appendRecords(log, topic, { count: 3, partitions: 1 });
      await wait(() => second.events.length >= 3, 'the records');
      expectSequences(second.events, topic, appended);
      expect(second.done).toBe(false);
    });

    it('when the log closes under it, every subscription ends with an error instead of waiting forever', async () => {
      const other = await suite.openAnotherLog();
      const topic = uniqueTopic('fanout-closing');
      await other.createTopic({ name: topic, partitions: 1 });
      const fanout = createFanout<TestEvent>({
        log: other,
        decode: decodeTestEvent,
        maxQueueBytes: 4096,
      });
      fanouts.push(fanout);
      const start = await latest(fanout, topic);
      const live = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      const stalled = new TestConsumer(fanout.subscribe({ start, filter: everything }), {
        paused: true,
      });
      await appendRecords(other, topic, { count: 100, partitions: 1 });
      await wait(() => live.events.length >= 100 && stalled.subscription.catchingUp, 'fan-out');

      await other.close();
      await wait(() => live.done, 'the live subscription to end');
      expect(live.failure?.error).toBeInstanceOf(Error);
      stalled.resume();
      await wait(() => stalled.done, 'the catching-up subscription to end');
      expect(stalled.failure?.error).toBeInstanceOf(Error);
      expectExactCursors(stalled.deliveries, start);
      expect(fanout.stats()).toMatchObject({ tailReaders: 0, catchingUp: 0, subscribers: 0 });
    });

    it('a subscription whose position expired joins the tail without waiting for a new record', async () => {
      const topic = await newTopic(2, { retentionMs: 3_600_000 });
      await appendRecords(log, topic, {
        count: 20,
        partitions: 2,
        timestamp: Date.now() - 7_200_000,
      });
      await suite.expireRecords(topic);
      const fanout = openFanout();
      const start = new Map([
        [
          topic,
          new Map<number, number>([
            [0, 0],
            [1, 0],
          ]),
        ],
      ]);
      const consumer = new TestConsumer(fanout.subscribe({ start, filter: everything }));
      await wait(
        () => fanout.stats().tailReaders === 1 && !consumer.subscription.catchingUp,
        'the subscription to join the tail',
      );
      expect(fanout.stats().catchingUp).toBe(0);
      const appended = await appendRecords(log, topic, { count: 4, partitions: 2, label: 'new' });
      await wait(() => consumer.events.length >= 4, 'the new records');
      expectSequences(consumer.events, topic, appended);
      // The last cursor points past every record there is: a resume from it gets nothing old.
      const last = consumer.deliveries.at(-1)!.positions.get(topic) as PartitionPositions;
      for (const { partition, high } of await log.offsets(topic)) {
        expect(last.get(partition)).toBeGreaterThan(
          Math.max(...appended.filter((r) => r.partition === partition).map((r) => r.offset)),
        );
        expect(last.get(partition)).toBeLessThanOrEqual(high);
      }
    });
  });
}
