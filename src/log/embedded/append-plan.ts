import { LogError, LogErrorCode } from '../event-log.js';
import type { AppendRecord, AppendResult } from '../event-log.js';
import { FRAME_HEADER_BYTES, prepareRecord } from './record-format.js';
import type { PreparedRecord } from './record-format.js';
import type { TopicStore } from './topic-store.js';

/** One topic's records, validated, measured and split by the partition each goes to. */
export interface AppendPlan {
  readonly topic: TopicStore;
  readonly count: number;
  readonly shares: ReadonlyMap<number, { records: PreparedRecord[]; indexes: number[] }>;
}

/** Checks every record before anything is written; throws the LogError of the first bad one. */
export function planAppend(
  topic: TopicStore,
  records: readonly AppendRecord[],
  now: number,
  maxRecordBytes: number,
): AppendPlan {
  const shares = new Map<number, { records: PreparedRecord[]; indexes: number[] }>();
  records.forEach((record, index) => {
    const prepared = prepareRecord(record, now);
    const bytes = FRAME_HEADER_BYTES + prepared.bodyBytes;
    if (bytes > maxRecordBytes) {
      throw new LogError(
        LogErrorCode.RecordTooLarge,
        `record ${index} for ${topic.name} is ${bytes} bytes; the limit is ${maxRecordBytes}`,
      );
    }
    if (!Number.isSafeInteger(prepared.timestamp)) {
      throw new LogError(
        LogErrorCode.Internal,
        `record ${index} for ${topic.name} has timestamp ${prepared.timestamp}, not an integer`,
      );
    }
    const partition = topic.partitionFor(record);
    let share = shares.get(partition);
    if (!share) shares.set(partition, (share = { records: [], indexes: [] }));
    share.records.push(prepared);
    share.indexes.push(index);
  });
  return { topic, shares, count: records.length };
}

/**
 * Queues every share on its partition in this same tick (so concurrent appends to a partition
 * share its next write and fsync) and answers in input order once all are written.
 */
export async function executeAppendPlans(plans: readonly AppendPlan[]): Promise<AppendResult[][]> {
  const results: AppendResult[][] = [];
  const writes: Promise<void>[] = [];
  for (const { topic, count, shares } of plans) {
    const landed = new Array<AppendResult>(count);
    results.push(landed);
    for (const [partition, share] of shares) {
      writes.push(
        topic.partitions[partition]!.append(share.records).then((firstOffset) => {
          share.indexes.forEach((index, i) => {
            landed[index] = { topic: topic.name, partition, offset: firstOffset + i };
          });
        }),
      );
    }
  }
  await Promise.all(writes);
  return results;
}
