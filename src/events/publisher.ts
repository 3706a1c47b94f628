import { gatewayError } from '../errors.js';
import {
  LogError,
  LogErrorCode,
  PartialAppendError,
  type AppendManyOptions,
  type AppendRecord,
  type AppendResult,
  type EventLog,
} from '../log/event-log.js';

export interface PublisherOptions {
  readonly log: EventLog;
  /**
   * Records one produce request carries at most when it merges publishes. A publish is never
   * split: one larger than this goes out alone, in one request.
   * @default 1000
   */
  readonly maxBatchRecords?: number;
}

export interface PendingRecord {
  readonly stream: string;
  readonly record: AppendRecord;
}

/** Appends event records; publishes that arrive while a write is under way go out together. */
export interface Publisher {
  /** Appends all of `records` in one produce request, or none of them when it is refused. */
  append(records: readonly PendingRecord[]): Promise<AppendResult[]>;
}

interface QueuedPublish {
  readonly records: readonly PendingRecord[];
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces publishes: the publishes that arrive within one turn of the event loop, or while a
 * write is in flight, go out together (see write), so under load many publishes share a
 * request and when idle nothing waits. Each publish (a publishBatch included) stays whole: it
 * shares a request with others, never spans two.
 */
export function createPublisher(options: PublisherOptions): Publisher {
  const { log } = options;
  const maxBatchRecords = options.maxBatchRecords ?? 1000;
  let queue: QueuedPublish[] = [];
  let scheduled = false;
  let writing = false;

  function schedule(): void {
    if (scheduled || writing || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void writeNext();
    });
  }

  /** Takes whole publishes up to maxBatchRecords (at least one) and writes them together. */
  async function writeNext(): Promise<void> {
    let count = 0;
    let taken = 0;
    while (taken < queue.length) {
      const size = queue[taken]!.records.length;
      if (taken > 0 && count + size > maxBatchRecords) break;
      count += size;
      taken++;
    }
    const publishes = queue.slice(0, taken);
    queue = queue.slice(taken);
    writing = true;
    try {
      await write(publishes);
    } finally {
      writing = false;
      schedule();
    }
  }

  /**
   * Single publishes go out together as independent records (on Kafka: plain sends, each event
   * whole); the batches of more than one event together in one all-or-nothing request (on
   * Kafka: a transaction when it spans partitions). Either way one publish is in one request.
   */
  async function write(publishes: readonly QueuedPublish[]): Promise<void> {
    const singles = publishes.filter((publish) => publish.records.length === 1);
    const batches = publishes.filter((publish) => publish.records.length > 1);
    await Promise.all([
      singles.length > 0 ? writeTogether(singles, { independentRecords: true }) : undefined,
      batches.length > 0 ? writeTogether(batches, {}) : undefined,
    ]);
  }

  async function writeTogether(
    publishes: readonly QueuedPublish[],
    appendOptions: AppendManyOptions,
  ): Promise<void> {
    const byStream = new Map<string, { records: AppendRecord[]; at: [number, number][] }>();
    publishes.forEach((publish, p) => {
      publish.records.forEach((item, r) => {
        let group = byStream.get(item.stream);
        if (!group) byStream.set(item.stream, (group = { records: [], at: [] }));
        group.records.push(item.record);
        group.at.push([p, r]);
      });
    });
    const groups = [...byStream.values()];
    let written: readonly (readonly (AppendResult | undefined)[])[];
    let failure: Error | undefined;
    try {
      written = await log.appendMany(
        [...byStream.entries()].map(([topic, group]) => ({ topic, records: group.records })),
        appendOptions,
      );
    } catch (error) {
      failure = toClientError(error);
      // Independent records, some written: each publish learns its own fate, so a publish that
      // was written is acknowledged and one that was refused wrote nothing.
      written = error instanceof PartialAppendError ? error.written : [];
    }
    const perPublish = publishes.map(
      (publish) => new Array<AppendResult | undefined>(publish.records.length),
    );
    groups.forEach((group, g) => {
      group.at.forEach(([p, r], i) => (perPublish[p]![r] = written[g]?.[i]));
    });
    publishes.forEach((publish, p) => {
      const results = perPublish[p]!;
      if (results.every((result) => result !== undefined)) publish.resolve(results);
      else publish.reject(failure ?? new Error('the event log answered for fewer records'));
    });
  }

  return {
    append(records) {
      if (records.length === 0) return Promise.resolve([]);
      return new Promise<AppendResult[]>((resolve, reject) => {
        queue.push({ records, resolve, reject });
        schedule();
      });
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
