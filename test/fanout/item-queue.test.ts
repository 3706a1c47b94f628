import { expect, it } from 'vitest';
import { ItemQueue } from '../../src/fanout/item-queue.js';

it('keeps items in order and counts their bytes across compactions', () => {
  const queue = new ItemQueue<number>();
  const taken: number[] = [];
  let next = 0;
  // Long enough runs that the head passes the compaction point more than once.
  for (const [pushes, shifts] of [
    [3000, 2000],
    [500, 1400],
    [4000, 4100],
  ] as const) {
    for (let i = 0; i < pushes; i++) queue.push(next++, 3);
    for (let i = 0; i < shifts; i++) taken.push(queue.shift()!);
    expect(queue.length).toBe(next - taken.length);
    expect(queue.bytes).toBe(queue.length * 3);
  }
  expect(queue.shift()).toBeUndefined();
  expect(taken).toEqual(Array.from({ length: next }, (_, i) => i));
  queue.push(7, 10);
  queue.clear();
  expect([queue.length, queue.bytes, queue.shift()]).toEqual([0, 0, undefined]);
});
