import {
  LogError,
  LogErrorCode,
  type EventLog,
  type LogReader,
  type RecordBatch,
} from '../log/event-log.js';
import { TailDelivery, type Decode } from './delivery.js';
import { PartitionWindow, type WindowBudget } from './hot-window.js';
import { flatPositions, PositionsAfterRecord, type PartitionPositions } from './positions.js';

export { TailDelivery } from './delivery.js';

export interface TailListener<E> {
  /** Called synchronously for each record, in log order per partition. */
  onRecord(delivery: TailDelivery<E>): void;
}

export interface TailReaderOptions<E> {
  readonly log: EventLog;
  readonly stream: string;
  readonly decode: Decode<E>;
  /** The instance's bound on what hot windows hold. */
  readonly windowBudget: WindowBudget;
  /** Called once, when the reader cannot start or stops on an error (never after close()). */
  readonly onError: (error: unknown) => void;
}

/**
 * The one live reader of a stream on this instance. It never waits for subscribers: a batch is
 * decoded once and offered to each listener synchronously; listeners that cannot keep up leave.
 * It keeps what it delivered in a hot window per partition (bounded with every other window of
 * the instance), from which resumes and fallen-behind subscribers read without Kafka.
 */
export class TailReader<E> {
  readonly stream: string;
  readonly listeners = new Set<TailListener<E>>();
  /**
   * Next offset per partition, as far as this reader has delivered. Replaced, never mutated, so
   * a subscriber may keep any value it saw as its own snapshot.
   */
  positions: PartitionPositions = new Map();
  private readonly windows = new Map<number, PartitionWindow<E>>();
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
    for (const { partition, high } of offsets) this.openWindow(partition, high);
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

  private openWindow(partition: number, start: number): PartitionWindow<E> {
    const window = new PartitionWindow<E>(
      this.options.windowBudget,
      start,
      () => this.positions.get(partition) ?? start,
    );
    this.windows.set(partition, window);
    return window;
  }

  /**
   * The window of a partition: what the tail delivered from `window.start` up to its position.
   * Undefined before the tail is ready, or for a partition it has not seen.
   */
  window(partition: number): PartitionWindow<E> | undefined {
    return this.windows.get(partition);
  }

  private fail(error: unknown): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.discardWindows();
    this.options.onError(error);
  }

  private discardWindows(): void {
    for (const window of this.windows.values()) window.discard();
    this.windows.clear();
  }

  private onBatch(batch: RecordBatch): void {
    const { decode } = this.options;
    const partition = batch.partition;
    const window = this.windows.get(partition) ?? this.openWindow(partition, 0);
    // Per record only the batch's partition moves: one shared base map per batch, and a small
    // overlay per record, instead of a copy of every partition's offset per record.
    const base = flatPositions(this.positions);
    for (const record of batch.records) {
      const expected = this.positions.get(partition) ?? 0;
      if (record.offset < expected) continue; // re-read after a reconnect
      const positions = new PositionsAfterRecord(base, partition, record.offset + 1);
      const delivery = new TailDelivery<E>(this.stream, record, decode, positions);
      // Decoded before the positions move, when someone listens: when decoding throws (the
      // reader then fails), the subscribers' cursors still point at this record. Nobody
      // listening, the window decodes it when a resume first needs it.
      if (this.listeners.size > 0) void delivery.event;
      this.positions = positions;
      window.append(delivery);
      for (const listener of this.listeners) listener.onRecord(delivery);
      delivery.delivered();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.discardWindows();
    await this.ready.catch(() => undefined);
    await this.reader?.close();
  }
}

/** The error of a reader that stopped although nobody closed it. */
export function readerStopped(stream: string): LogError {
  return new LogError(LogErrorCode.Closed, `the reader of ${stream} stopped`, { retriable: true });
}
