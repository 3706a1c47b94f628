import type { TopicStore } from './topic-store.js';

/**
 * Time retention: in every topic with a retention, deletes the whole segments whose newest record
 * is older than it, which moves the partitions' low watermarks. Returns how many were deleted.
 *
 * Compacted topics (the registry) are kept whole. The embedded log does not compact: keeping
 * every record is correct (a reader from earliest ends on each key's last record all the same),
 * only larger; and Kafka applies no time retention to a compact-only topic either.
 */
export async function enforceRetention(topics: Iterable<TopicStore>, now: number): Promise<number> {
  let deleted = 0;
  for (const topic of topics) {
    const { retentionMs, compacted } = topic.metadata;
    if (compacted || retentionMs < 0) continue;
    for (const partition of topic.partitions) {
      deleted += await partition.enforceRetention(retentionMs, now);
    }
  }
  return deleted;
}
