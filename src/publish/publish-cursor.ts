import type { Positions } from '../events/cursor.js';
import type { EndOffsetsCache } from '../log/end-offsets.js';

export interface PublishCursorOptions {
  /** The gateway's one cache of end offsets (shared with the metrics). */
  readonly endOffsets: EndOffsetsCache;
}

/**
 * The positions a publish result's cursor holds: right after the event on its partition, and
 * the stream's end offsets of a moment ago on the others. Kafka orders nothing across
 * partitions, so "after this event" elsewhere can only mean about then; erring early, a
 * subscriber resuming from it may see a few events from just before on other partitions, and
 * misses none.
 */
export function createPublishCursorSource(options: PublishCursorOptions) {
  return {
    async positions(
      stream: string,
      partition: number,
      offset: number,
      publishedAt: number,
    ): Promise<Positions> {
      const ends = new Map(await options.endOffsets.before(stream, publishedAt));
      ends.set(partition, offset + 1);
      return new Map([[stream, ends]]);
    },
  };
}

export type PublishCursorSource = ReturnType<typeof createPublishCursorSource>;
