import type { Positions } from '../events/cursor.js';
import type { EventLog } from '../log/event-log.js';

export interface PublishCursorOptions {
  readonly log: EventLog;
  /** How old the cached end offsets of a stream may be. @default 1000 */
  readonly maxAgeMs?: number;
}

/**
 * The positions a publish result's cursor holds: right after the event on its partition, and
 * the stream's end offsets of a moment ago on the others. Kafka orders nothing across
 * partitions, so "after this event" elsewhere can only mean about then; erring early, a
 * subscriber resuming from it may see a few events from just before on other partitions, and
 * misses none.
 */
export function createPublishCursorSource(options: PublishCursorOptions) {
  const maxAgeMs = options.maxAgeMs ?? 1000;
  const cache = new Map<string, { at: number; ends: Promise<Map<number, number>> }>();

  function endsOf(stream: string, publishedAt: number): Promise<Map<number, number>> {
    const cached = cache.get(stream);
    if (cached && cached.at <= publishedAt && publishedAt - cached.at < maxAgeMs)
      return cached.ends;
    const ends = options.log
      .offsets(stream)
      .then((o) => new Map(o.map((p) => [p.partition, p.high])));
    ends.catch(() => cache.delete(stream));
    cache.set(stream, { at: Date.now(), ends });
    return ends;
  }

  return {
    async positions(
      stream: string,
      partition: number,
      offset: number,
      publishedAt: number,
    ): Promise<Positions> {
      const ends = new Map(await endsOf(stream, publishedAt));
      ends.set(partition, offset + 1);
      return new Map([[stream, ends]]);
    },
  };
}

export type PublishCursorSource = ReturnType<typeof createPublishCursorSource>;
