import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../src/errors.js';
import {
  checkCursorRetained,
  createCursorWriter,
  decodeCursor,
  encodeCursor,
  type Positions,
} from '../../src/events/cursor.js';

function positions(entries: Record<string, Record<number, number>>): Positions {
  return new Map(
    Object.entries(entries).map(([stream, offsets]) => [
      stream,
      new Map(Object.entries(offsets).map(([p, o]) => [Number(p), o])),
    ]),
  );
}

function plain(p: Positions): Record<string, Record<number, number>> {
  return Object.fromEntries([...p].map(([s, offsets]) => [s, Object.fromEntries(offsets)]));
}

function failure(fn: () => unknown): { code: string | undefined; message: string } {
  try {
    fn();
  } catch (error) {
    return { code: errorCodeOf(error), message: (error as Error).message };
  }
  throw new Error('expected a throw');
}

const sample = positions({
  platform: { 0: 0, 1: 17, 2: 9_007_199_254_740_991 },
  'orders.eu-west~1': { 0: 123_456_789, 5: 3 },
  über: { 3: 1 },
});
const sampleStreams = ['platform', 'orders.eu-west~1', 'über'];

describe('cursor', () => {
  it('round-trips positions, whatever the stream names', () => {
    const cursor = encodeCursor(sample);
    expect(plain(decodeCursor(cursor, sampleStreams))).toEqual(plain(sample));
  });

  it('is URL-safe, versioned and compact', () => {
    const cursor = encodeCursor(
      positions({ platform: { 0: 1_000_000, 1: 2_000_000, 2: 3_000_000 } }),
    );
    expect(cursor).toMatch(/^v1\.[A-Za-z0-9_.~-]+$/);
    expect(encodeURIComponent(cursor)).toBe(cursor);
    expect(cursor.length).toBeLessThan(60);
  });

  it('is deterministic: insertion order of streams and partitions does not matter', () => {
    const reordered = new Map(
      [...sample].reverse().map(([s, o]) => [s, new Map([...o].reverse())]),
    );
    expect(encodeCursor(reordered)).toBe(encodeCursor(sample));
  });

  it('round-trips an empty subscription and a stream without partitions', () => {
    expect(plain(decodeCursor(encodeCursor(new Map()), []))).toEqual({});
    expect(plain(decodeCursor(encodeCursor(positions({ a: {} })), ['a']))).toEqual({ a: {} });
  });

  it('accepts the streams in any order, and duplicates', () => {
    expect(() =>
      decodeCursor(encodeCursor(sample), ['über', 'platform', 'orders.eu-west~1', 'platform']),
    ).not.toThrow();
  });

  it.each([
    ['one stream missing', ['platform', 'über']],
    ['one stream too many', [...sampleStreams, 'extra']],
    ['another stream', ['platform', 'über', 'orders']],
  ])('refuses the cursor for %s', (_label, streams) => {
    const error = failure(() => decodeCursor(encodeCursor(sample), streams));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(
      'the cursor was made for streams [orders.eu-west~1, platform, über]',
    );
  });

  it('refuses every single-character edit', () => {
    const cursor = encodeCursor(positions({ platform: { 0: 5, 1: 9 } }));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
    let tried = 0;
    for (let i = 0; i < cursor.length; i++) {
      for (const replacement of alphabet) {
        if (replacement === cursor[i]) continue;
        const edited = cursor.slice(0, i) + replacement + cursor.slice(i + 1);
        tried++;
        expect(failure(() => decodeCursor(edited, ['platform'])).code, edited).toBe(
          'BAD_USER_INPUT',
        );
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });

  it.each([
    ['an empty string', ''],
    ['garbage', 'hello'],
    ['a truncated cursor', encodeCursor(sample).slice(0, -3)],
    ['a cursor with its checksum removed', encodeCursor(sample).replace(/\.[^.]+$/, '')],
    ['a future version', 'v2.abc.def'],
    ['an oversized string', `v1.${'A'.repeat(200_000)}.x`],
  ])('refuses %s as malformed', (_label, cursor) => {
    const error = failure(() => decodeCursor(cursor, sampleStreams));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/^from\.after is not a valid cursor/);
  });

  it('names the version it does not support', () => {
    expect(failure(() => decodeCursor('v2.abc.def', ['a'])).message).toContain('version v2');
  });

  it('refuses a non-string', () => {
    expect(failure(() => decodeCursor(42 as unknown as string, [])).code).toBe('BAD_USER_INPUT');
  });
});

describe('createCursorWriter', () => {
  it('gives the same cursor as encodeCursor after every advance', () => {
    const writer = createCursorWriter(sample);
    expect(writer.cursor()).toBe(encodeCursor(sample));
    const expected = new Map([...sample].map(([s, o]) => [s, new Map(o)]));
    const moves: [string, number, number][] = [
      ['platform', 1, 18],
      ['über', 3, 2],
      ['platform', 7, 0], // a partition added to the stream
      ['orders.eu-west~1', 0, 123_456_790],
      ['platform', 1, 18], // no change
    ];
    for (const [stream, partition, offset] of moves) {
      writer.advance(stream, partition, offset);
      expected.get(stream)!.set(partition, offset);
      expect(writer.cursor()).toBe(encodeCursor(expected));
      expect(plain(decodeCursor(writer.cursor(), sampleStreams))).toEqual(plain(expected));
    }
    expect(plain(writer.positions())).toEqual(plain(expected));
  });

  it('does not change when the positions it started from change', () => {
    const initial = new Map([['a', new Map([[0, 1]])]]);
    const writer = createCursorWriter(initial);
    const before = writer.cursor();
    initial.get('a')!.set(0, 99);
    writer.advance('a', 1, 1);
    writer.advance('a', 1, 0);
    expect(plain(decodeCursor(writer.cursor(), ['a']))).toEqual({ a: { 0: 1, 1: 0 } });
    expect(before).not.toBe(writer.cursor());
  });

  it('measures encoding cost (printed, not asserted)', () => {
    const streams = Object.fromEntries(
      ['platform', 'orders', 'billing'].map((s) => [
        s,
        Object.fromEntries([...Array(12).keys()].map((p) => [p, 1_000_000 + p])),
      ]),
    );
    const start = positions(streams);
    const writer = createCursorWriter(start);
    const mutable = new Map([...start].map(([s, o]) => [s, new Map(o)]));
    const n = 50_000;
    let sink = 0;
    let t = performance.now();
    for (let i = 0; i < n; i++) {
      mutable.get('platform')!.set(i % 12, 1_000_000 + i);
      sink += encodeCursor(mutable).length;
    }
    const plainNs = ((performance.now() - t) * 1e6) / n;
    t = performance.now();
    for (let i = 0; i < n; i++) {
      writer.advance('platform', i % 12, 1_000_000 + i);
      sink += writer.cursor().length;
    }
    const writerNs = ((performance.now() - t) * 1e6) / n;
    console.log(
      `cursor of 3 streams x 12 partitions (${writer.cursor().length} chars): encodeCursor ${plainNs.toFixed(0)} ns, ` +
        `CursorWriter.advance+cursor ${writerNs.toFixed(0)} ns per event`,
    );
    expect(sink).toBeGreaterThan(0);
  });
});

describe('checkCursorRetained', () => {
  const watermarks = new Map([
    [
      'platform',
      [
        { partition: 0, low: 10, high: 50 },
        { partition: 1, low: 0, high: 5 },
      ],
    ],
  ]);

  it('passes positions from the low watermark to the end', () => {
    expect(() =>
      checkCursorRetained(positions({ platform: { 0: 10, 1: 5 } }), watermarks),
    ).not.toThrow();
  });

  it('throws CURSOR_EXPIRED naming the stream and partition below the low watermark', () => {
    const error = failure(() =>
      checkCursorRetained(positions({ platform: { 0: 9, 1: 0 } }), watermarks),
    );
    expect(error.code).toBe('CURSOR_EXPIRED');
    expect(error.message).toContain('stream "platform" partition 0');
    expect(error.message).toContain('from 10 on');
  });

  it('refuses a partition the stream does not have, or a position beyond its end', () => {
    const noPartition = failure(() =>
      checkCursorRetained(positions({ platform: { 4: 0 } }), watermarks),
    );
    expect([noPartition.code, noPartition.message]).toEqual([
      'BAD_USER_INPUT',
      'the cursor names partition 4 of stream "platform", which has 2 partitions',
    ]);
    const beyond = failure(() =>
      checkCursorRetained(positions({ platform: { 1: 6 } }), watermarks),
    );
    expect(beyond.code).toBe('BAD_USER_INPUT');
  });
});
