import {
  LogError,
  LogErrorCode,
  type EventLog,
  type LogReader,
  type LogRecord,
  type RecordBatch,
} from '../log/event-log.js';
import { TailDelivery } from './delivery.js';
import { flatPositions, PositionsAfterRecord, type PartitionPositions } from './positions.js';

export { TailDelivery } from './delivery.js';

export interface TailListener<E> {
  /** Called synchronously for each record, in log order per partition. */
  onRecord(delivery: TailDelivery<E>): void;
}

export interface TailReaderOptions<E> {
  readonly log: EventLog;
  readonly stream: string;
  readonly decode: (stream: string, record: LogRecord) => E;
  /** Called once, when the reader cannot start or stops on an error (never after close()). */
  readonly onError: (error: unknown) => void;
}

/**
 * The one live reader of a stream on this instance. It never waits for subscribers: a batch is
 * decoded once and offered to each listener synchronously; listeners that cannot keep up leave.
 */
export class TailReader<E> {
  readonly stream: string;
  readonly listeners = new Set<TailListener<E>>();
  /**
   * Next offset per partition, as far as this reader has delivered. Replaced, never mutated, so
   * a subscriber may keep any value it saw as its own snapshot.
   */
  positions: PartitionPositions = new Map();
  readonly ready: Promise<void>;
  private reader: LogReader | undefined;
  private closed = false;
  private failed = false;

  constructor(private readonly options: TailReaderOptions<E>) {
    this.stream = options.stream;
    this.ready = this.start();
    // A tail that cannot even start (unknown topic, log down) must leave the pool like one that
    // fails later; otherwise every later subscriber of the stream would get the same old error.
    this.ready.catch((error: unknown) => this.fail(error));
  }

  private async start(): Promise<void> {
    const { log, stream } = this.options;
    const offsets = await log.offsets(stream);
    this.positions = new Map(offsets.map((o) => [o.partition, o.high]));
    if (this.closed) return;
    this.reader = log.read({
      topic: stream,
      start: this.positions,
      otherwise: 'earliest',
      onBatch: (batch) => this.onBatch(batch),
    });
    // A reader that stops without our close() (the log was closed under it) is a failure too:
    // its subscribers must end rather than wait for records that will never come.
    this.reader.done.then(
      () => this.fail(readerStopped(stream)),
      (error: unknown) => this.fail(error),
    );
    await this.reader.ready;
  }

  private fail(error: unknown): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.options.onError(error);
  }

  private onBatch(batch: RecordBatch): void {
    const { decode } = this.options;
    const partition = batch.partition;
    // Per record only the batch's partition moves: one shared base map per batch, and a small
    // overlay per record, instead of a copy of every partition's offset per record.
    const base = flatPositions(this.positions);
    for (const record of batch.records) {
      const expected = this.positions.get(partition) ?? 0;
      if (record.offset < expected) continue; // re-read after a reconnect
      const positions = new PositionsAfterRecord(base, partition, record.offset + 1);
      // A lingering tail with nobody listening only keeps its place.
      if (this.listeners.size === 0) {
        this.positions = positions;
        continue;
      }
      // Decoded before the positions move: when decoding throws (the reader then fails), the
      // subscribers' cursors still point at this record rather than past it.
      const event = decode(this.stream, record);
      this.positions = positions;
      const delivery = new TailDelivery<E>(
        this.stream,
        partition,
        record.offset,
        event,
        recordSize(record),
        positions,
      );
      for (const listener of this.listeners) listener.onRecord(delivery);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.ready.catch(() => undefined);
    await this.reader?.close();
  }
}

/** The error of a reader that stopped although nobody closed it. */
export function readerStopped(stream: string): LogError {
  return new LogError(LogErrorCode.Closed, `the reader of ${stream} stopped`, { retriable: true });
}

/** What a queued event costs: its bytes plus a fixed overhead for the decoded object. */
export function recordSize(record: LogRecord): number {
  return (record.value?.length ?? 0) + (record.key?.length ?? 0) + 256;
}
