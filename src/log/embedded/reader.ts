import { LogError } from '../event-log.js';
import type { LogReader, ReadOptions } from '../event-log.js';
import type { PartitionStore } from './partition-store.js';
import type { ReadLimits } from './segment.js';
import type { TopicStore } from './topic-store.js';

/**
 * A reader of one topic: it reads each partition from its start offset in bounded batches,
 * handing one batch at a time to `onBatch` (round-robin over partitions, so a busy partition
 * cannot starve the others), and when every partition is caught up it sleeps on the topic's
 * append signal. An idle reader costs one promise reaction, no timer and no I/O.
 */
export class EmbeddedReader implements LogReader {
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
  private readonly positions: number[];
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly topic: TopicStore,
    private readonly options: ReadOptions,
    private readonly limits: ReadLimits,
    onStop: () => void,
  ) {
    // Offsets are in memory: the reader is positioned before read() returns.
    this.positions = topic.partitions.map((partition) => startOffset(partition, options));
    this.ready = Promise.resolve();
    this.done = this.run().finally(onStop);
    // Callers may never look at `done`; a failed reader must not crash the process for that.
    this.done.catch(() => {});
  }

  /** Stops reading; resolves once a batch being handled (if any) has settled. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.done.catch(() => {});
  }

  private async run(): Promise<void> {
    const partitions = this.topic.partitions;
    while (!this.closed) {
      // Taken before looking for records, so an append landing after the look still wakes us.
      const appended = this.topic.appended.next();
      let delivered = false;
      for (let index = 0; index < partitions.length && !this.closed; index++) {
        const partition = partitions[index]!;
        const from = this.positions[index]!;
        if (Math.max(from, partition.lowWatermark) >= partition.highWatermark) continue;
        const { records, next } = await partition.read(from, this.limits);
        this.positions[index] = next;
        if (records.length === 0 || this.closed) continue;
        await this.options.onBatch({
          topic: this.topic.name,
          partition: index,
          records,
          highWatermark: partition.highWatermark,
        });
        delivered = true;
      }
      if (!delivered && !this.closed) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          void appended.then(resolve);
        });
        this.wake = undefined;
      }
    }
  }
}

/** A reader that could not start (unknown topic, closed log): ready and done reject. */
export function failedReader(error: LogError): LogReader {
  const failed = Promise.reject(error);
  failed.catch(() => {});
  return { ready: failed, done: failed, close: async () => {} };
}

function startOffset(partition: PartitionStore, options: ReadOptions): number {
  const low = partition.lowWatermark;
  const high = partition.highWatermark;
  const requested = options.start?.get(partition.partition);
  if (requested !== undefined) return Math.min(Math.max(requested, low), high);
  return options.otherwise === 'earliest' ? low : high;
}
