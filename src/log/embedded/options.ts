/** When an append reaches the disk. */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** The subset of a pino logger the embedded log writes to. */
export interface EmbeddedLogLogger {
  warn(details: object, message: string): void;
  /** Damage found at open. @default the logger's warn */
  error?(details: object, message: string): void;
}

export interface EmbeddedLogOptions {
  /** The directory the log owns (the gateway passes `GATEWAY_DATA_DIR/log`). Created if absent. */
  readonly dataDir: string;
  /**
   * 'always': an append resolves after its bytes are fsynced (appends arriving meanwhile share
   * the next fsync). 'interval': fsync every `fsyncIntervalMs`; a crash may lose that window.
   * 'never': leave it to the OS.
   * @default 'always'
   */
  readonly fsync?: FsyncPolicy;
  /** Period of the 'interval' fsync policy. @default 1000 */
  readonly fsyncIntervalMs?: number;
  /** A partition rolls to a new segment file once the next records would pass this size. @default 67108864 (64 MiB) */
  readonly segmentBytes?: number;
  /** Largest encoded record (key, headers, value and framing). @default 1114112 (1 MiB + 64 KiB) */
  readonly maxRecordBytes?: number;
  /** How often segments past their topic's retention are deleted (also done at open). @default 300000 (Kafka's 5 minutes) */
  readonly retentionCheckIntervalMs?: number;
  /** Most records handed to one `onBatch` call. @default 500 */
  readonly maxBatchRecords?: number;
  /** Most record bytes handed to one `onBatch` call (a larger single record still goes alone). @default 1048576 (1 MiB) */
  readonly maxBatchBytes?: number;
  /** Bytes of segment between two entries of the in-memory sparse index. @default 4096 */
  readonly indexIntervalBytes?: number;
  /** Receives warnings (a torn tail truncated at open, a stale lock taken over). @default no logging */
  readonly logger?: EmbeddedLogLogger;
}

export type ResolvedEmbeddedLogOptions = Required<Omit<EmbeddedLogOptions, 'logger'>> & {
  readonly logger: EmbeddedLogLogger;
};

const silentLogger: EmbeddedLogLogger = { warn: () => {} };

const defaults = {
  fsync: 'always',
  fsyncIntervalMs: 1000,
  segmentBytes: 64 * 1024 * 1024,
  maxRecordBytes: 1024 * 1024 + 64 * 1024,
  retentionCheckIntervalMs: 5 * 60 * 1000,
  maxBatchRecords: 500,
  maxBatchBytes: 1024 * 1024,
  indexIntervalBytes: 4096,
} as const satisfies Omit<ResolvedEmbeddedLogOptions, 'dataDir' | 'logger'>;

/** Applies the defaults once and rejects settings that cannot work. */
export function resolveEmbeddedLogOptions(options: EmbeddedLogOptions): ResolvedEmbeddedLogOptions {
  const resolved: ResolvedEmbeddedLogOptions = {
    ...defaults,
    ...withoutUndefined(options),
    dataDir: options.dataDir,
    logger: options.logger ?? silentLogger,
  };
  if (!resolved.dataDir) throw new TypeError('createEmbeddedLog: dataDir is required');
  if (!['always', 'interval', 'never'].includes(resolved.fsync)) {
    throw new TypeError(
      `createEmbeddedLog: fsync must be always, interval or never, got ${resolved.fsync}`,
    );
  }
  for (const name of [
    'fsyncIntervalMs',
    'segmentBytes',
    'maxRecordBytes',
    'retentionCheckIntervalMs',
    'maxBatchRecords',
    'maxBatchBytes',
    'indexIntervalBytes',
  ] as const) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`createEmbeddedLog: ${name} must be a positive integer, got ${value}`);
    }
  }
  return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
