import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LogError, LogErrorCode } from '../event-log.js';
import type { AppendRecord } from '../event-log.js';
import { partitionForKey } from '../murmur2.js';
import { AppendSignal } from './append-signal.js';
import { syncDirectory } from './fs-sync.js';
import { PartitionStore } from './partition-store.js';
import type { PartitionSettings } from './partition-store.js';
import { writeTopicMetadata } from './topic-metadata.js';
import type { TopicMetadata } from './topic-metadata.js';

/** A topic: its settings, one store per partition, and the signal its readers wait on. */
export class TopicStore {
  private nextRoundRobin = 0;

  private constructor(
    readonly metadata: TopicMetadata,
    readonly partitions: readonly PartitionStore[],
    /** Notified after every append to any partition of the topic. */
    readonly appended: AppendSignal,
  ) {}

  get name(): string {
    return this.metadata.name;
  }

  /** Opens the partitions of an existing topic directory. */
  static async open(
    dir: string,
    metadata: TopicMetadata,
    settings: PartitionSettings,
  ): Promise<TopicStore> {
    const signal = new AppendSignal();
    const partitions = await openAll(
      Array.from({ length: metadata.partitions }, (_, partition) =>
        PartitionStore.open(join(dir, String(partition)), metadata.name, partition, settings, () =>
          signal.notify(),
        ),
      ),
    );
    return new TopicStore(metadata, partitions, signal);
  }

  /**
   * Creates the directory with its partitions, then writes topic.json last: a directory without
   * it is a creation cut short, which the next open removes.
   */
  static async create(
    dir: string,
    metadata: TopicMetadata,
    settings: PartitionSettings,
  ): Promise<TopicStore> {
    try {
      // Not recursive: an existing directory means another topic's files (on a case-insensitive
      // file system "Orders" is "orders"), which must not be opened as this topic's.
      await mkdir(dir);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
      throw new LogError(
        LogErrorCode.Internal,
        `cannot create topic ${metadata.name}: ${dir} already exists (a name differing only in case?)`,
        { cause },
      );
    }
    const topic = await TopicStore.open(dir, metadata, settings);
    try {
      const sync = settings.fsync !== 'never';
      await writeTopicMetadata(dir, metadata, sync);
      if (sync) await syncDirectory(dir);
    } catch (error) {
      await topic.close();
      throw error;
    }
    return topic;
  }

  /** The partition a record goes to: forced, by key as Kafka does, or round-robin for null keys. */
  partitionFor(record: AppendRecord): number {
    const count = this.partitions.length;
    if (record.partition !== undefined) {
      if (
        !Number.isInteger(record.partition) ||
        record.partition < 0 ||
        record.partition >= count
      ) {
        throw new LogError(
          LogErrorCode.UnknownTopic,
          `topic ${this.name} has no partition ${record.partition} (it has ${count})`,
        );
      }
      return record.partition;
    }
    if (record.key !== null) return partitionForKey(record.key, count);
    const partition = this.nextRoundRobin % count;
    this.nextRoundRobin = (this.nextRoundRobin + 1) % count;
    return partition;
  }

  async close(): Promise<void> {
    await Promise.all(this.partitions.map((partition) => partition.close()));
  }
}

/** Opens every partition; if one fails, closes the others before rethrowing. */
async function openAll(opening: Promise<PartitionStore>[]): Promise<PartitionStore[]> {
  const results = await Promise.allSettled(opening);
  const failed = results.find((result) => result.status === 'rejected');
  if (!failed)
    return results.map((result) => (result as PromiseFulfilledResult<PartitionStore>).value);
  await Promise.all(
    results.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)),
  );
  throw failed.reason;
}
