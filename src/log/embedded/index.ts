/**
 * The embedded log: a file-backed, single-node EventLog under `dataDir`, the default of
 * `npm start` when no Kafka is configured. Layout:
 *
 *   <dataDir>/LOCK                                   pid of the process that owns the directory
 *   <dataDir>/topics/<topic>/topic.json              partitions, retentionMs, compacted
 *   <dataDir>/topics/<topic>/<partition>/<base>.log  append-only segments named by base offset
 *   <dataDir>/quarantine/<topic>/<partition>/<base>.log.<time>  damaged segments as found
 *   <dataDir>/groups/<base64url(group)>.json         committed positions of a consumer group
 *
 * Keys go to the partition Kafka's default partitioner would pick, so moving to Kafka keeps
 * every resource in the same partition number.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LogError, LogErrorCode } from '../event-log.js';
import type {
  AppendRecord,
  AppendResult,
  EventLog,
  FetchOptions,
  FetchResult,
  GroupOffsets,
  GroupReader,
  GroupReadOptions,
  LogDamage,
  LogReader,
  PartitionOffsets,
  ReadOptions,
  StartOffsets,
  TopicInfo,
  TopicSpec,
} from '../event-log.js';
import { executeAppendPlans, planAppend } from './append-plan.js';
import { readDamageReports } from './damage-reports.js';
import { lockDataDir } from './data-dir-lock.js';
import { EmbeddedGroups } from './groups.js';
import type { DataDirLock } from './data-dir-lock.js';
import { resolveEmbeddedLogOptions } from './options.js';
import type { EmbeddedLogOptions, ResolvedEmbeddedLogOptions } from './options.js';
import type { PartitionSettings } from './partition-store.js';
import { startPeriodicTask } from './periodic-task.js';
import { EmbeddedReader, failedReader } from './reader.js';
import { enforceRetention } from './retention.js';
import type { ReadLimits } from './segment.js';
import { parseTopicSpec, readTopicMetadata } from './topic-metadata.js';
import { TopicStore } from './topic-store.js';

export type { EmbeddedLogLogger, EmbeddedLogOptions, FsyncPolicy } from './options.js';

/** Creates the embedded log; `connect()` opens (and recovers) the data directory. */
export function createEmbeddedLog(options: EmbeddedLogOptions): EventLog {
  return new EmbeddedLog(resolveEmbeddedLogOptions(options));
}

/** A body length past this cannot be a record, whatever maxRecordBytes was when it was written. */
const SANE_BODY_BYTES = 256 * 1024 * 1024;

type State = 'closed' | 'opening' | 'open' | 'closing';

class EmbeddedLog implements EventLog {
  readonly kind = 'embedded' as const;
  private state: State = 'closed';
  private opening: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private readonly topics = new Map<string, TopicStore>();
  private readonly creating = new Map<string, Promise<void>>();
  private readonly readers = new Set<EmbeddedReader>();
  private readonly groupReaders = new Set<GroupReader>();
  private readonly groups: EmbeddedGroups;
  private readonly topicsDir: string;
  private readonly partitionSettings: PartitionSettings;
  private readonly readLimits: ReadLimits;
  private lock: DataDirLock | undefined;
  private damageReports: LogDamage[] = [];
  private stopTasks: (() => Promise<void>)[] = [];

  constructor(private readonly options: ResolvedEmbeddedLogOptions) {
    this.topicsDir = join(options.dataDir, 'topics');
    this.partitionSettings = {
      fsync: options.fsync,
      segmentBytes: options.segmentBytes,
      indexIntervalBytes: options.indexIntervalBytes,
      maxBodyBytes: Math.max(options.maxRecordBytes, SANE_BODY_BYTES),
      quarantineDir: join(options.dataDir, 'quarantine'),
      logger: options.logger,
    };
    this.readLimits = { maxRecords: options.maxBatchRecords, maxBytes: options.maxBatchBytes };
    this.groups = new EmbeddedGroups(
      join(options.dataDir, 'groups'),
      (name) => this.topics.get(name),
      this.readLimits,
    );
  }

  async connect(): Promise<void> {
    if (this.state === 'closing') await this.closing;
    if (this.state === 'open') return;
    if (this.state === 'opening') return this.opening;
    this.state = 'opening';
    this.opening = this.open().then(
      () => {
        this.state = 'open';
      },
      (error: unknown) => {
        this.state = 'closed';
        throw error;
      },
    );
    return this.opening;
  }

  private async open(): Promise<void> {
    await mkdir(this.topicsDir, { recursive: true });
    const lock = await lockDataDir(this.options.dataDir, this.options.logger);
    try {
      for (const entry of await readdir(this.topicsDir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const dir = join(this.topicsDir, entry.name);
        const metadata = await readTopicMetadata(dir);
        if (!metadata) {
          // Its topic.json is written last: this topic was never created, nothing was in it.
          this.options.logger.warn(
            { dir },
            'embedded log: removing a topic whose creation was cut short',
          );
          await rm(dir, { recursive: true, force: true });
          continue;
        }
        this.topics.set(
          metadata.name,
          await TopicStore.open(dir, metadata, this.partitionSettings),
        );
      }
      await enforceRetention(this.topics.values(), Date.now());
      this.damageReports = await readDamageReports(
        this.partitionSettings.quarantineDir,
        this.topicsDir,
      );
    } catch (error) {
      await Promise.allSettled([...this.topics.values()].map((topic) => topic.close()));
      this.topics.clear();
      await lock.release();
      throw error;
    }
    this.lock = lock;
    this.startTasks();
  }

  private startTasks(): void {
    const { logger } = this.options;
    const tasks = [
      startPeriodicTask(
        'retention',
        this.options.retentionCheckIntervalMs,
        async () => void (await enforceRetention(this.topics.values(), Date.now())),
        logger,
      ),
    ];
    if (this.options.fsync === 'interval') {
      tasks.push(
        startPeriodicTask(
          'interval fsync',
          this.options.fsyncIntervalMs,
          async () => {
            const partitions = [...this.topics.values()].flatMap((topic) => topic.partitions);
            await Promise.all(partitions.map((partition) => partition.syncIfDirty()));
          },
          logger,
        ),
      );
    }
    this.stopTasks = tasks.map((task) => () => task.stop());
  }

  async close(): Promise<void> {
    if (this.state === 'opening') await this.opening?.catch(() => {});
    if (this.state === 'closing') return this.closing;
    if (this.state === 'closed') return;
    this.state = 'closing';
    this.closing = this.shutDown().finally(() => {
      this.state = 'closed';
    });
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await Promise.all(this.stopTasks.map((stop) => stop()));
    this.stopTasks = [];
    await Promise.allSettled(this.creating.values());
    // Readers first: they may be mid-read on the files about to close.
    await Promise.all([...this.readers].map((reader) => reader.close()));
    await Promise.all([...this.groupReaders].map((reader) => reader.close()));
    await Promise.all([...this.topics.values()].map((topic) => topic.close()));
    this.topics.clear();
    await this.lock?.release();
    this.lock = undefined;
  }

  async healthy(): Promise<boolean> {
    return this.state === 'open';
  }

  /**
   * Damage repaired at this open or an earlier one, reported until the operator moves the
   * quarantined file away.
   */
  damage(): LogDamage[] {
    return this.damageReports.filter((damage) => existsSync(damage.quarantinedAs));
  }

  async createTopic(spec: TopicSpec): Promise<boolean> {
    this.assertOpen();
    const metadata = parseTopicSpec(spec);
    const inFlight = this.creating.get(metadata.name);
    if (inFlight) {
      await inFlight;
      return false;
    }
    if (this.topics.has(metadata.name)) return false;
    const creation = TopicStore.create(
      join(this.topicsDir, metadata.name),
      metadata,
      this.partitionSettings,
    ).then((topic) => {
      this.topics.set(metadata.name, topic);
    });
    this.creating.set(metadata.name, creation);
    try {
      await creation;
    } finally {
      this.creating.delete(metadata.name);
    }
    return true;
  }

  async describeTopic(name: string): Promise<TopicInfo | undefined> {
    this.assertOpen();
    const topic = this.topics.get(name);
    if (!topic) return undefined;
    const { partitions, retentionMs } = topic.metadata;
    return { name, partitions, retentionMs };
  }

  async listTopics(): Promise<string[]> {
    this.assertOpen();
    return [...this.topics.keys()].sort();
  }

  async append(topic: string, records: readonly AppendRecord[]): Promise<AppendResult[]> {
    const [results] = await this.appendMany([{ topic, records }]);
    return results ?? [];
  }

  /**
   * Validates everything first (unknown topic, size, partition, timestamp), so a bad record
   * means nothing is written. Past validation each partition's share is written in one piece;
   * only a disk failure could leave some partitions written and others not.
   */
  async appendMany(
    batches: readonly { topic: string; records: readonly AppendRecord[] }[],
  ): Promise<AppendResult[][]> {
    this.assertOpen();
    const now = Date.now();
    const { maxRecordBytes } = this.options;
    return executeAppendPlans(
      batches.map(({ topic, records }) =>
        planAppend(this.topicOrThrow(topic), records, now, maxRecordBytes),
      ),
    );
  }

  async offsets(name: string): Promise<PartitionOffsets[]> {
    this.assertOpen();
    return this.topicOrThrow(name).partitions.map((partition) => ({
      partition: partition.partition,
      low: partition.lowWatermark,
      high: partition.highWatermark,
    }));
  }

  async offsetsForTime(name: string, timestamp: number): Promise<Map<number, number>> {
    this.assertOpen();
    const partitions = this.topicOrThrow(name).partitions;
    const found = await Promise.all(
      partitions.map((partition) => partition.offsetForTime(timestamp)),
    );
    return new Map(found.map((offset, partition) => [partition, offset]));
  }

  async fetch(options: FetchOptions): Promise<FetchResult> {
    this.assertOpen();
    const partition = this.topicOrThrow(options.topic).partitions[options.partition];
    if (!partition) {
      throw new LogError(
        LogErrorCode.UnknownTopic,
        `topic ${options.topic} has no partition ${options.partition}`,
      );
    }
    const { records, next } = await partition.read(options.offset, {
      maxRecords: this.readLimits.maxRecords,
      maxBytes: options.maxBytes ?? this.readLimits.maxBytes,
    });
    return { records, next, highWatermark: partition.highWatermark };
  }

  read(options: ReadOptions): LogReader {
    if (this.state !== 'open') return failedReader(closedError(this.state));
    const topic = this.topics.get(options.topic);
    if (!topic) return failedReader(unknownTopic(options.topic));
    const reader: EmbeddedReader = new EmbeddedReader(topic, options, this.readLimits, () =>
      this.readers.delete(reader),
    );
    this.readers.add(reader);
    return reader;
  }

  readGroup(options: GroupReadOptions): GroupReader {
    if (this.state !== 'open') return failedGroupReader(closedError(this.state));
    const missing = options.topics.find((topic) => !this.topics.has(topic));
    if (missing !== undefined) return failedGroupReader(unknownTopic(missing));
    const reader = this.groups.read(options);
    this.groupReaders.add(reader);
    void reader.done.finally(() => this.groupReaders.delete(reader)).catch(() => {});
    return reader;
  }

  async groupOffsets(group: string): Promise<GroupOffsets> {
    this.assertOpen();
    return this.groups.offsets(group);
  }

  async listGroups(prefix: string): Promise<string[]> {
    this.assertOpen();
    return this.groups.list(prefix);
  }

  async setGroupOffsets(group: string, topic: string, offsets: StartOffsets): Promise<void> {
    this.assertOpen();
    this.topicOrThrow(topic);
    await this.groups.setOffsets(group, topic, offsets);
  }

  private topicOrThrow(name: string): TopicStore {
    const topic = this.topics.get(name);
    if (!topic) throw unknownTopic(name);
    return topic;
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw closedError(this.state);
  }
}

function unknownTopic(name: string): LogError {
  return new LogError(LogErrorCode.UnknownTopic, `topic ${name} does not exist`);
}

function failedGroupReader(error: LogError): GroupReader {
  const failed = Promise.reject(error);
  failed.catch(() => {});
  return {
    ready: failed,
    done: failed,
    commit: async () => false,
    close: async () => {},
  };
}

function closedError(state: State): LogError {
  const hint = state === 'closed' ? '; call connect() first' : '';
  return new LogError(LogErrorCode.Closed, `embedded log is ${state}${hint}`);
}
