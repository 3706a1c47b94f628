/**
 * Kafka's default partitioner, bit for bit: `Utils.murmur2` (MurmurHash2, seed 0x9747b28c) and
 * `toPositive(hash) % partitions`. The embedded log and the Kafka adapter both partition with it,
 * so a resource id lands in the same partition number on either log (and with any Java or
 * kafkajs producer writing into the same topics).
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Kafka's murmur2 of the bytes, as the signed 32-bit int that Java returns. */
export function murmur2(key: Buffer): number {
  const length = key.length;
  let h = SEED ^ length;
  const whole = length - (length & 3);
  for (let i = 0; i < whole; i += 4) {
    // Java reads little-endian 4-byte words; Math.imul keeps Java's wrapping int multiply.
    let k = key.readInt32LE(i);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= key[whole + 2]! << 16;
  if (rest >= 2) h ^= key[whole + 1]! << 8;
  if (rest >= 1) {
    h ^= key[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner picks for a (UTF-8) key. */
export function partitionForKey(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  }
  // toPositive masks the sign bit (it is not Math.abs), exactly as Kafka does.
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}
