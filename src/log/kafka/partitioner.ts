import type { ICustomPartitioner, Message } from 'kafkajs';
import { LogError, LogErrorCode } from '../event-log.js';
import { partitionForKey } from '../murmur2.js';

/**
 * Chooses partitions as Kafka's Java client does for keyed records (murmur2 of the key, the
 * same function the embedded log uses) and round robin for records without a key, and
 * remembers each message's choice so the producer can tell callers where a record landed.
 *
 * kafkajs calls the partitioner again for every retry of a send; a message keeps its first
 * choice, so results and the request that finally succeeded agree.
 */
export interface RecordingPartitioner {
  readonly createPartitioner: ICustomPartitioner;
  /** The partition chosen for a message sent through this partitioner. */
  partitionOf(message: Message): number | undefined;
}

export function createRecordingPartitioner(): RecordingPartitioner {
  const chosen = new WeakMap<Message, number>();
  const nextByTopic = new Map<string, number>();
  const createPartitioner: ICustomPartitioner = () => {
    return ({ topic, partitionMetadata, message }) => {
      const count = partitionMetadata.length;
      const previous = chosen.get(message);
      if (previous !== undefined && previous < count) return previous;
      let partition: number;
      if (message.partition !== undefined && message.partition !== null) {
        if (
          !Number.isInteger(message.partition) ||
          message.partition < 0 ||
          message.partition >= count
        ) {
          throw new LogError(
            LogErrorCode.Internal,
            `partition ${message.partition} does not exist (the topic has ${count})`,
          );
        }
        partition = message.partition;
      } else if (message.key !== null && message.key !== undefined) {
        partition = partitionForKey(message.key.toString(), count);
      } else {
        const next = nextByTopic.get(topic) ?? 0;
        nextByTopic.set(topic, (next + 1) % count);
        partition = next % count;
      }
      chosen.set(message, partition);
      return partition;
    };
  };
  return { createPartitioner, partitionOf: (message) => chosen.get(message) };
}
