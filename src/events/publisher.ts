import DataLoader from 'dataloader';
import { gatewayError } from '../errors.js';
import {
  LogError,
  LogErrorCode,
  type AppendRecord,
  type AppendResult,
  type EventLog,
} from '../log/event-log.js';

export interface PublisherOptions {
  readonly log: EventLog;
  /** Records one produce request carries at most. @default 1000 */
  readonly maxBatchRecords?: number;
}

export interface PendingRecord {
  readonly stream: string;
  readonly record: AppendRecord;
}

/** Appends event records; records that arrive while a write is under way go out together. */
export interface Publisher {
  /** Appends all of `records` in one produce request, or none of them when it is refused. */
  append(records: readonly PendingRecord[]): Promise<AppendResult[]>;
}

/**
 * Coalesces publishes: DataLoader gathers every record that arrives within one turn of the
 * event loop, and while a produce request is in flight the next batch waits for it, so under
 * load many concurrent publishes share one Kafka produce request, and when idle nothing waits.
 */
export function createPublisher(options: PublisherOptions): Publisher {
  const { log } = options;
  let inFlight: Promise<unknown> | undefined;

  const loader = new DataLoader<PendingRecord, AppendResult | Error>(
    async (pending) => {
      const byStream = new Map<string, { records: AppendRecord[]; indexes: number[] }>();
      pending.forEach((item, index) => {
        let group = byStream.get(item.stream);
        if (!group) byStream.set(item.stream, (group = { records: [], indexes: [] }));
        group.records.push(item.record);
        group.indexes.push(index);
      });
      const groups = [...byStream.entries()];
      const write = log.appendMany(
        groups.map(([topic, group]) => ({ topic, records: group.records })),
      );
      inFlight = write.catch(() => undefined);
      try {
        const results = await write;
        const ordered = new Array<AppendResult>(pending.length);
        groups.forEach(([, group], g) => {
          group.indexes.forEach((index, i) => (ordered[index] = results[g]![i]!));
        });
        return ordered;
      } catch (error) {
        const mapped = toClientError(error);
        return pending.map(() => mapped);
      } finally {
        inFlight = undefined;
      }
    },
    {
      cache: false,
      maxBatchSize: options.maxBatchRecords ?? 1000,
      batchScheduleFn(callback) {
        const pending = inFlight;
        if (pending) void pending.then(() => setImmediate(callback));
        else setImmediate(callback);
      },
    },
  );

  return {
    async append(records) {
      const results = await loader.loadMany(records);
      const failed = results.find((r): r is Error => r instanceof Error);
      if (failed) throw failed;
      return results as AppendResult[];
    },
  };
}

/** A log failure as the client sees it: retriable failures are UNAVAILABLE (nothing written). */
export function toClientError(error: unknown): Error {
  if (error instanceof LogError) {
    switch (error.code) {
      case LogErrorCode.RecordTooLarge:
        return gatewayError('PAYLOAD_TOO_LARGE', 'the event is larger than the event log accepts');
      case LogErrorCode.UnknownTopic:
        return gatewayError('NOT_FOUND', 'the stream has no topic in the event log');
      case LogErrorCode.Unavailable:
      case LogErrorCode.Closed:
        return gatewayError(
          'UNAVAILABLE',
          'the event log cannot be reached now; nothing was written; retry',
          {
            retryAfterSeconds: 1,
          },
        );
      default:
        return error;
    }
  }
  return error instanceof Error ? error : new Error(String(error));
}
