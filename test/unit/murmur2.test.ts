import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from '../../src/log/murmur2.js';

/** kafkajs's DefaultPartitioner (its Java-compatible one), asked as a producer would ask it. */
function kafkajsPartition(key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  return partitioner({ topic: 'vectors', partitionMetadata, message: { key, value: null } });
}

describe('murmur2', () => {
  it("matches the vectors of Kafka's own UtilsTest", () => {
    // Literal values from Kafka's Java test of Utils.murmur2 (signed 32-bit results).
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(
      -58897971,
    );
    expect(murmur2(Buffer.from([0x61, 0x62, 0x63]))).toBe(479470107);
  });

  it('hashes every tail length (0 to 3 trailing bytes) as kafkajs does', () => {
    // Values from kafkajs's murmur2 (the one its DefaultPartitioner uses).
    expect(murmur2(Buffer.alloc(0))).toBe(275646681);
    expect(murmur2(Buffer.from('a'))).toBe(-1563381124);
    expect(murmur2(Buffer.from('ab'))).toBe(316155434);
    expect(murmur2(Buffer.from('abcd'))).toBe(-1323649548);
    expect(murmur2(Buffer.from('abcde'))).toBe(461995741);
  });
});

describe('partitionForKey', () => {
  it('gives fixed partitions for a few known keys', () => {
    // Computed once with kafkajs's DefaultPartitioner; a change here moves every stored key.
    expect([1, 3, 8, 12, 100].map((n) => partitionForKey('app-1', n))).toEqual([0, 1, 5, 1, 37]);
    expect([1, 3, 8, 12, 100].map((n) => partitionForKey('customer:42', n))).toEqual([
      0, 2, 1, 5, 85,
    ]);
    expect([1, 3, 8, 12, 100].map((n) => partitionForKey('ü€', n))).toEqual([0, 1, 3, 7, 51]);
    expect([1, 3, 8, 12, 100].map((n) => partitionForKey('', n))).toEqual([0, 0, 1, 9, 81]);
  });

  it("agrees with kafkajs's DefaultPartitioner on many keys and partition counts", () => {
    const keys: string[] = [];
    for (let i = 0; i < 300; i++) keys.push(`resource-${i}`);
    for (let i = 0; i < 300; i++) keys.push(randomBytes(1 + (i % 40)).toString('base64'));
    keys.push('ünïcødé-ключ-鍵-🔑', 'a'.repeat(1000), ' ', '\u0000');
    let compared = 0;
    for (const partitions of [1, 2, 3, 5, 6, 8, 12, 16, 31, 64, 100, 1000]) {
      for (const key of keys) {
        expect(partitionForKey(key, partitions), `${key} over ${partitions}`).toBe(
          kafkajsPartition(key, partitions),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(7000);
  });

  it('rejects a partition count that is not a positive integer', () => {
    expect(() => partitionForKey('k', 0)).toThrow(RangeError);
    expect(() => partitionForKey('k', 1.5)).toThrow(RangeError);
  });
});
