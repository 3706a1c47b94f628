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
  ): Promise<AppendResult[][]>;
  /** Low and high offsets of every partition of the topic. */
  offsets(topic: string): Promise<PartitionOffsets[]>;
  /** Per partition, the first offset whose timestamp is >= `timestamp` (the high offset if none). */
  offsetsForTime(topic: string, timestamp: number): Promise<Map<number, number>>;
  /** Reads a topic from the given positions, then follows its live tail until closed. */
  read(options: ReadOptions): LogReader;
}

/** Error codes of the log layer; `retriable` keeps kafkajs's meaning. */
export const LogErrorCode = {
  Unavailable: 'LOG_UNAVAILABLE',
  UnknownTopic: 'LOG_UNKNOWN_TOPIC',
  RecordTooLarge: 'LOG_RECORD_TOO_LARGE',
  Closed: 'LOG_CLOSED',
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
