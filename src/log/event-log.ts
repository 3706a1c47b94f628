/**
 * The EventLog port: the only way the layers above `src/log` touch Kafka or the embedded log.
 * Both adapters (`createKafkaLog`, `createEmbeddedLog`) pass one contract suite
 * (test/log/event-log-contract.ts).
 *
 * Offsets are plain numbers: Kafka offsets are int64, but a partition would need 2^53 records
 * before a number lost precision.
 */

/** A record to append. */
export interface AppendRecord {
  /** The partitioning key (a resource id). Null spreads records over partitions. */
  readonly key: string | null;
  /** The record value; null is a tombstone (compacted topics). */
  readonly value: Buffer | null;
  /** Header values are UTF-8 strings (the CloudEvents Kafka binding's `ce_*` headers). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch. @default Date.now() at append */
  readonly timestamp?: number;
  /** Force a partition; otherwise murmur2(key) % partitions as Kafka's default partitioner. */
  readonly partition?: number;
}

/** Where an appended record landed. */
export interface AppendResult {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** A record read back from the log. */
export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** A batch of records of one topic-partition, in offset order. */
export interface RecordBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly LogRecord[];
  /** The partition's high watermark (the offset the next record will get) when read. */
  readonly highWatermark: number;
  /**
   * Where reading goes on after this batch, when that is past its last record: Kafka's
   * transaction markers take offsets of their own. Group readers set it (a batch may then hold
   * no record at all), so a group's position can reach the end. @default last offset + 1
   */
  readonly nextOffset?: number;
}

export interface TopicSpec {
  readonly name: string;
  /** @default 1 */
  readonly partitions?: number;
  /** Retention by time in milliseconds; -1 keeps forever. @default -1 */
  readonly retentionMs?: number;
  /** A compacted topic keeps the last record per key (the registry topic). @default false */
  readonly compacted?: boolean;
}

export interface TopicInfo {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

/** Low (first retained) and high (next to be written) offsets of one partition. */
export interface PartitionOffsets {
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

/** Where a reader starts, per partition. */
export type StartOffsets = ReadonlyMap<number, number>;

export interface ReadOptions {
  readonly topic: string;
  /**
   * The offset to start each partition at. A partition not in the map starts at `otherwise`.
   * An offset below the partition's low watermark starts at the low watermark (the caller
   * checks for expired positions with `offsets()` first when it cares).
   */
  readonly start?: StartOffsets;
  /** @default 'latest' */
  readonly otherwise?: 'earliest' | 'latest';
  /**
   * Called with each batch, one call at a time per reader; the reader fetches no further
   * until the returned promise settles (this is the backpressure). A rejection closes the reader
   * and rejects `done`.
   */
  readonly onBatch: (batch: RecordBatch) => Promise<void> | void;
}

export interface LogReader {
  /** Resolves once the reader is positioned on every partition: records appended after this are read. */
  readonly ready: Promise<void>;
  /** Settles when the reader stops: resolves after close(), rejects on a fatal error. */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

/** One partition of one topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Committed positions of a group: per topic, per partition, the next offset to process. */
export type GroupOffsets = ReadonlyMap<string, ReadonlyMap<number, number>>;

export interface GroupReadOptions {
  /** The group's name (on Kafka: its group id, under the topic prefix). */
  readonly group: string;
  readonly topics: readonly string[];
  /**
   * Where a partition starts when the group has no committed position for it: these offsets
   * (per topic), else `otherwise`. The reader commits that start at once, so from then on the
   * group has a position and later readers continue from it.
   */
  readonly start?: GroupOffsets;
  /** @default 'latest' */
  readonly otherwise?: 'earliest' | 'latest';
  /**
   * The partitions this reader holds, called before the first batch and whenever the group
   * moves partitions between its readers. A partition no longer listed was taken away: its
   * batches stop, and commits for it answer false. A newly listed one starts at the group's
   * committed position.
   */
  readonly onAssigned: (partitions: readonly TopicPartition[]) => void;
  /**
   * Each batch of a held partition, in offset order. A pending promise holds back that
   * partition only (the backpressure); the others flow on. A rejection ends the reader.
   */
  readonly onBatch: (batch: RecordBatch) => Promise<void> | void;
}

/**
 * A reader that is one member of a group: the group spreads its topics' partitions over its
 * readers (on Kafka: a consumer group; embedded: a coordinator in the process) and keeps one
 * committed position per partition.
 */
export interface GroupReader {
  /** Resolves once the reader has joined the group (it may hold no partition). */
  readonly ready: Promise<void>;
  /** Settles when the reader stops: resolves after close(), rejects on a fatal error. */
  readonly done: Promise<void>;
  /**
   * Commits `offset` as the next offset to process of a partition this reader holds; resolves
   * false when it does not hold the partition (any more), so the commit was not made.
   */
  commit(topic: string, partition: number, offset: number): Promise<boolean>;
  /** Leaves the group; its partitions go to the group's other readers. */
  close(): Promise<void>;
}

/**
 * Records the log found damaged in its own storage (the embedded log, at open) and set aside.
 * Kafka keeps its own storage and reports none.
 */
export interface LogDamage {
  readonly topic: string;
  readonly partition: number;
  /** Offsets that may have been in the damaged bytes, as [first, last] ranges. */
  readonly lostOffsets: readonly (readonly [number, number])[];
  readonly damagedBytes: number;
  /** The damaged file as found, kept for the operator; the report ends once it is moved away. */
  readonly quarantinedAs: string;
  /** The segment file now in use, repaired (intact records only): what a backup would restore. */
  readonly segment: string;
}

export interface FetchOptions {
  readonly topic: string;
  readonly partition: number;
  /** The first offset wanted; one below the partition's low watermark reads from there. */
  readonly offset: number;
  /**
   * About how many bytes to return: the log stops after the record that crosses it (so at least
   * one record comes back when one exists). @default 1048576
   */
  readonly maxBytes?: number;
}

/** What one fetch returned: records of one partition in offset order. */
export interface FetchResult {
  readonly records: readonly LogRecord[];
  /**
   * Where the next fetch of this partition starts: past the last record looked at, which may be
   * past the last one returned (transaction markers, aborted or compacted records), and at the
   * low watermark when `offset` lay below it.
   */
  readonly next: number;
  /** The partition's high watermark when read. */
  readonly highWatermark: number;
}

export interface AppendManyOptions {
  /**
   * Each record is a write of its own, independent of the others: the log keeps every record
   * whole, not the request (Kafka: a plain idempotent send per partition, no transaction, even
   * when the records span partitions). When only some were written (one partition refused, say),
   * appendMany rejects with a PartialAppendError that says which.
   * @default false
   */
  readonly independentRecords?: boolean;
}

export interface EventLog {
  readonly kind: 'kafka' | 'embedded';
  /** Connects (Kafka) or opens the data directory (embedded). Idempotent. */
  connect(): Promise<void>;
  /** Closes every reader and the producer; resolves when all is flushed. */
  close(): Promise<void>;
  /** True when the log can be reached now (readiness). Never throws. */
  healthy(): Promise<boolean>;
  /** Damage found in the log's own storage that an operator must look at; empty when none. */
  damage(): readonly LogDamage[];
  /** Creates a topic; false when it already existed (its settings untouched). */
  createTopic(spec: TopicSpec): Promise<boolean>;
  describeTopic(name: string): Promise<TopicInfo | undefined>;
  listTopics(): Promise<string[]>;
  /**
   * Appends records, possibly of several topics, durably (Kafka: acks from all in-sync
   * replicas, idempotent producer; embedded: after the configured fsync). Results are in input
   * order. All or nothing is the aim; a failure rejects with a LogError.
   */
  append(topic: string, records: readonly AppendRecord[]): Promise<AppendResult[]>;
  appendMany(
    batches: readonly { topic: string; records: readonly AppendRecord[] }[],
    options?: AppendManyOptions,
  ): Promise<AppendResult[][]>;
  /** Low and high offsets of every partition of the topic. */
  offsets(topic: string): Promise<PartitionOffsets[]>;
  /** Per partition, the first offset whose timestamp is >= `timestamp` (the high offset if none). */
  offsetsForTime(topic: string, timestamp: number): Promise<Map<number, number>>;
  /** Reads a topic from the given positions, then follows its live tail until closed. */
  read(options: ReadOptions): LogReader;
  /**
   * Reads what one partition holds from an offset, once, without waiting for new records and
   * without a consumer group: the catch-up path of subscriptions that start in the past.
   */
  fetch(options: FetchOptions): Promise<FetchResult>;
  /** Joins `options.group` as one more reader (see GroupReader). */
  readGroup(options: GroupReadOptions): GroupReader;
  /** The group's committed positions; empty when it has none. */
  groupOffsets(group: string): Promise<GroupOffsets>;
  /** Names of the groups with committed positions whose name starts with `prefix`. */
  listGroups(prefix: string): Promise<string[]>;
  /**
   * Sets committed positions of a group that has no reader anywhere; refused with
   * LOG_GROUP_ACTIVE while it has one (on Kafka, its members own its offsets).
   */
  setGroupOffsets(group: string, topic: string, offsets: StartOffsets): Promise<void>;
}

/** Error codes of the log layer; `retriable` keeps kafkajs's meaning. */
export const LogErrorCode = {
  Unavailable: 'LOG_UNAVAILABLE',
  UnknownTopic: 'LOG_UNKNOWN_TOPIC',
  RecordTooLarge: 'LOG_RECORD_TOO_LARGE',
  Closed: 'LOG_CLOSED',
  GroupActive: 'LOG_GROUP_ACTIVE',
  Internal: 'LOG_INTERNAL',
} as const;
export type LogErrorCode = (typeof LogErrorCode)[keyof typeof LogErrorCode];

export class LogError extends Error {
  readonly code: LogErrorCode;
  readonly retriable: boolean;
  constructor(
    code: LogErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'LogError';
    this.code = code;
    this.retriable = options.retriable ?? code === LogErrorCode.Unavailable;
  }
}

/**
 * An append of independent records (AppendManyOptions.independentRecords) of which only some
 * were written: `written` holds, per batch and record, where each written one landed, and
 * undefined for the others, which were not written (the error says why).
 */
export class PartialAppendError extends LogError {
  constructor(
    failure: LogError,
    readonly written: readonly (readonly (AppendResult | undefined)[])[],
  ) {
    super(failure.code, failure.message, { retriable: failure.retriable, cause: failure });
    this.name = 'PartialAppendError';
  }
}
