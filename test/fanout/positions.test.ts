import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/events/cursor.js';
import { atOrPast, flatPositions, PositionsAfterRecord } from '../../src/fanout/positions.js';

describe('PositionsAfterRecord', () => {
  const base = new Map([
    [0, 10],
    [1, 20],
    [2, 30],
  ]);

  it('reads as the base map with one partition moved, and leaves the base untouched', () => {
    const after = new PositionsAfterRecord(base, 1, 21);
    const expected = new Map([
      [0, 10],
      [1, 21],
      [2, 30],
    ]);
    expect(after.get(1)).toBe(21);
    expect(after.get(2)).toBe(30);
    expect(after.get(7)).toBeUndefined();
    expect(after.has(0) && after.has(1) && !after.has(7)).toBe(true);
    expect(after.size).toBe(3);
    expect(new Map(after)).toEqual(expected);
    expect([...after.keys()]).toEqual([0, 1, 2]);
    expect([...after.values()]).toEqual([10, 21, 30]);
    expect([...after.entries()]).toEqual([...expected]);
    const seen: [number, number][] = [];
    after.forEach((offset, partition, map) => {
      expect(map).toBe(after);
      seen.push([partition, offset]);
    });
    expect(seen).toEqual([...expected]);
    expect(base.get(1)).toBe(20);
  });

  it('can add a partition the base does not have', () => {
    const after = new PositionsAfterRecord(base, 5, 1);
    expect(after.size).toBe(4);
    expect(after.get(5)).toBe(1);
    expect([...after.keys()].sort()).toEqual([0, 1, 2, 5]);
  });

  it('encodes the same cursor as the equivalent plain map', () => {
    const after = new PositionsAfterRecord(base, 2, 31);
    const plain = new Map(base).set(2, 31);
    expect(encodeCursor(new Map([['s', after]]))).toBe(encodeCursor(new Map([['s', plain]])));
  });

  it('flattens once: the next batch shares one plain map as its base', () => {
    const after = new PositionsAfterRecord(base, 0, 11);
    const flat = flatPositions(after);
    expect(flat).not.toBeInstanceOf(PositionsAfterRecord);
    expect(flatPositions(after)).toBe(flat);
    expect(flatPositions(base)).toBe(base);
  });

  it('compares with atOrPast like a map', () => {
    const after = new PositionsAfterRecord(base, 1, 25);
    expect(atOrPast(after, base)).toBe(true);
    expect(atOrPast(base, after)).toBe(false);
  });
});
