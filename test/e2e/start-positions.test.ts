/**
 * Where a subscription starts (`from`): latest, earliest, after a cursor, at a time, and what a
 * malformed cursor gets. Each test has a stream of three partitions to itself, so "everything
 * the stream retains" is known exactly, and ends by publishing an end marker on every
 * partition: once a subscription has them all, nothing it has not received yet is still coming.
 */
import { partitionForKey } from '../../src/log/murmur2.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  assertLogOrder,
  createStreamWithTypes,
  eventsBeforeMarkers,
  LOG_MODES,
  platformExample,
  publishEndMarkers,
  publishJson,
  subscribeEvents,
  TRANSPORTS,
  untilLive,
  type PublishJsonInput,
  type PublishResult,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const PARTITIONS = 3;

const ids = (events: readonly { id: string }[]) => events.map((event) => event.id);
const sorted = (list: readonly string[]) => [...list].sort();

describe.each(LOG_MODES)('start positions on the $name log', (mode) => {
  let gateway: GatewayProcess;
  let streams = 0;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ brokers: mode.brokers() });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  /** A stream of its own, with one event type that has the schema of `release.created`. */
  async function releaseStream() {
    const n = ++streams;
    const stream = `releases-${n}`;
    const type = `r${n}.release.created`;
    const typeName = `R${n}ReleaseCreated`;
    await createStreamWithTypes(
      gateway,
      { name: stream, partitions: PARTITIONS },
      { [type]: 'release.created' },
    );
    // Random app ids, drawn again until they map to at least two partitions (the tests rely on
    // events of several partitions; four random keys can all hash to one).
    let apps: string[];
    do apps = Array.from({ length: 4 }, () => randomUUID());
    while (new Set(apps.map((app) => partitionForKey(app, PARTITIONS))).size < 2);
    /** Release `version` of one of four apps (so the releases spread over the partitions). */
    const release = (version: number, time?: string): PublishJsonInput => ({
      type,
      resourceId: apps[version % apps.length]!,
      data: platformExample('release.created', { version, description: `Deploy v${version}` }),
      ...(time ? { time } : {}),
    });
    const publish = async (versions: readonly number[], time?: (version: number) => string) => {
      const results: PublishResult[] = [];
      for (const version of versions)
        results.push(await publishJson(gateway, release(version, time?.(version))));
      return results;
    };
    const endMarkers = () => publishEndMarkers(gateway, release(999), PARTITIONS);
    return { stream, typeName, publish, endMarkers };
  }

  test('latest, the default, delivers only what is published after the subscription started', async () => {
    const { stream, publish, endMarkers } = await releaseStream();
    const before = await publish([1, 2, 3]);
    const latest = subscribeEvents(gateway, 'graphql-ws', {
      streams: [stream],
      from: { latest: true },
    });
    const byDefault = subscribeEvents(gateway, 'graphql-sse', { streams: [stream] });
    // A subscription at latest starts when the server has set it up; publish until each has
    // seen an event, and only then publish the events under test.
    const warmUps = new Set([...(await untilLive(latest, () => publish([100]).then(([r]) => r!)))]);
    for (const id of await untilLive(byDefault, () => publish([100]).then(([r]) => r!)))
      warmUps.add(id);
    const after = await publish([4, 5, 6, 7]);
    const markers = await endMarkers();

    for (const subscription of [latest, byDefault]) {
      const received = (await eventsBeforeMarkers(subscription, markers)).filter(
        (event) => !warmUps.has(event.id),
      );
      expect(sorted(ids(received)), subscription.transport).toEqual(sorted(ids(after)));
      expect(received.map((event) => event.id)).not.toContain(before[0]!.id);
      assertLogOrder(subscription.events);
    }
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    test('earliest delivers everything the stream retains, each partition in order, once', async () => {
      const { stream, typeName, publish, endMarkers } = await releaseStream();
      const published = await publish([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(new Set(published.map((p) => p.partition)).size).toBeGreaterThan(1);
      const subscription = subscribeEvents(gateway, transport, {
        streams: [stream],
        from: { earliest: true },
        selection: `... on ${typeName} { data { version } }`,
      });
      const received = await eventsBeforeMarkers(subscription, await endMarkers());
      expect(sorted(ids(received))).toEqual(sorted(ids(published)));
      assertLogOrder(subscription.events);
      // Typed all the same, though the type lives on a stream of its own.
      expect(received.map((event) => event.data?.version).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      for (const event of received) {
        const landed = published.find((p) => p.id === event.id)!;
        expect([event.partition, event.offset]).toEqual([landed.partition, landed.offset]);
      }
    });

    test('after a cursor delivers exactly the events after it, none again, then what comes next', async () => {
      const { stream, publish, endMarkers } = await releaseStream();
      const published = await publish([1, 2, 3, 4, 5, 6]);
      const first = subscribeEvents(gateway, transport, {
        streams: [stream],
        from: { earliest: true },
      });
      const firstSix = await first.collect(6);
      first.close();
      // Resume after the third event delivered: the cursor holds every partition's position.
      const seen = firstSix.slice(0, 3);
      const resumed = subscribeEvents(gateway, transport, {
        streams: [stream],
        from: { after: seen.at(-1)!.cursor },
      });
      const later = await publish([7, 8]);
      const received = await eventsBeforeMarkers(resumed, await endMarkers());

      const expected = [...ids(firstSix.slice(3)), ...ids(later)];
      expect(sorted(ids(received))).toEqual(sorted(expected));
      expect(sorted([...ids(seen), ...ids(firstSix.slice(3))])).toEqual(sorted(ids(published)));
      assertLogOrder(resumed.events);
    });

    test('after a publish result cursor delivers what was published after that event', async () => {
      const { stream, publish, endMarkers } = await releaseStream();
      const [fence] = await publish([1]);
      // On the fence's partition, exactly what follows it; the others start at about the
      // publish time, erring early, so events published a moment before may come too.
      const earlier = await publish([2, 3]);
      const subscription = subscribeEvents(gateway, transport, {
        streams: [stream],
        from: { after: fence!.cursor },
      });
      const later = await publish([4, 5, 6]);
      const received = await eventsBeforeMarkers(subscription, await endMarkers());
      expect(ids(received)).not.toContain(fence!.id);
      expect(sorted(ids(received))).toEqual(sorted([...ids(earlier), ...ids(later)]));
      assertLogOrder(subscription.events);
    });

    test('time delivers from the first event at or after it on each partition', async () => {
      const { stream, publish, endMarkers } = await releaseStream();
      // Event times a minute apart, in the recent past; the log keeps them as record timestamps.
      const start = Date.now() - 30 * 60_000;
      const timeOf = (version: number) => new Date(start + version * 60_000).toISOString();
      const published = await publish([1, 2, 3, 4, 5, 6], timeOf);
      const subscription = subscribeEvents(gateway, transport, {
        streams: [stream],
        from: { time: timeOf(3) },
      });
      const received = await eventsBeforeMarkers(subscription, await endMarkers());
      expect(sorted(ids(received))).toEqual(sorted(ids(published.slice(2))));
      for (const event of received)
        expect(new Date(event.time).getTime()).toBeGreaterThanOrEqual(Date.parse(timeOf(3)));
    });

    test('a malformed, damaged or foreign cursor is refused with BAD_USER_INPUT', async () => {
      const { stream, publish } = await releaseStream();
      const other = await releaseStream();
      const [own] = await publish([1]);
      const [foreign] = await other.publish([1]);
      const cursor = own!.cursor;
      // Change one character of the positions: the checksum no longer matches.
      const at = cursor.indexOf('~') + 1;
      const damaged = cursor.slice(0, at) + (cursor[at] === '0' ? '1' : '0') + cursor.slice(at + 1);
      const cases: [string, string, string][] = [
        ['not a cursor', 'not-a-cursor', 'cursor'],
        ['an unknown version', `v9${cursor.slice(2)}`, 'v9'],
        ['a damaged one', damaged, 'damaged'],
        ['one made for another stream', foreign!.cursor, other.stream],
      ];
      const outcomes = await Promise.all(
        cases.map(async ([what, after]) => {
          const subscription = subscribeEvents(gateway, transport, {
            streams: [stream],
            from: { after },
          });
          const error = await subscription.firstError();
          return [
            what,
            {
              code: error.extensions?.['code'],
              message: error.message,
              events: subscription.events.length,
            },
          ];
        }),
      );
      for (const [what, outcome] of outcomes as [
        string,
        { code: string; message: string; events: number },
      ][]) {
        const words = cases.find(([name]) => name === what)![2];
        expect({ what, code: outcome.code, events: outcome.events }).toEqual({
          what,
          code: 'BAD_USER_INPUT',
          events: 0,
        });
        expect(outcome.message, what).toContain(words);
      }
    });
  });
});
