import type { EventLog, LogReader, LogRecord, RecordBatch } from '../log/event-log.js';
import type { PartitionPositions } from './positions.js';

/** One record as the tail hands it to every live subscriber of its stream: decoded once. */
export interface TailDelivery<E> {
  readonly stream: string;
  readonly partition: number;
  readonly offset: number;
  readonly event: E;
  /** Approximate bytes the event holds while queued. */
  readonly size: number;
  /** The tail's positions right after this record; shared, never mutated. */
  readonly positions: PartitionPositions;
}

export interface TailListener<E> {
  /** Called synchronously for each record, in log order per partition. */
  onRecord(delivery: TailDelivery<E>): void;
}

export interface TailReaderOptions<E> {
  readonly log: EventLog;
  readonly stream: string;
  readonly decode: (stream: string, record: LogRecord) => E;
  readonly onError: (error: unknown) => void;
}

/**
 * The one live reader of a stream on this instance. It never waits for subscribers: a batch is
 * decoded once and offered to each listener synchronously; listeners that cannot keep up leave.
 */
export class TailReader<E> {
  readonly stream: string;
  readonly listeners = new Set<TailListener<E>>();
  /** Next offset per partition, as far as this reader has delivered. */
  positions: PartitionPositions = new Map();
  readonly ready: Promise<void>;
  private reader: LogReader | undefined;
  private closed = false;
  /** Called after each batch, for subscribers waiting to join. */
  afterBatch: (() => void) | undefined;

  constructor(private readonly options: TailReaderOptions<E>) {
    this.stream = options.stream;
    this.ready = this.start();
    this.ready.catch(() => undefined);
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
    this.reader.done.catch((error: unknown) => {
      if (!this.closed) this.options.onError(error);
    });
    await this.reader.ready;
  }

  private onBatch(batch: RecordBatch): void {
    const { decode } = this.options;
    const partition = batch.partition;
    for (const record of batch.records) {
      const expected = this.positions.get(partition) ?? 0;
      if (record.offset < expected) continue; // re-read after a reconnect
      const positions = new Map(this.positions);
      positions.set(partition, record.offset + 1);
      this.positions = positions;
      const delivery: TailDelivery<E> = {
        stream: this.stream,
        partition,
        offset: record.offset,
        event: decode(this.stream, record),
        size: recordSize(record),
        positions,
      };
      for (const listener of this.listeners) listener.onRecord(delivery);
    }
    this.afterBatch?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.ready.catch(() => undefined);
    await this.reader?.close();
  }
}

/** What a queued event costs: its bytes plus a fixed overhead for the decoded object. */
export function recordSize(record: LogRecord): number {
  return (record.value?.length ?? 0) + (record.key?.length ?? 0) + 256;
}
