import type { EventLog } from './event-log.js';

/** End (high) offset of each partition of one topic. */
export type EndOffsets = ReadonlyMap<number, number>;

export interface EndOffsetsCacheOptions {
  /** An answer is reused this long: neither a publish nor a scrape costs a round trip each. @default 1000 */
  readonly maxAgeMs?: number;
  /** A scrape waits this long for fresh offsets, then uses the last known (log down). @default 500 */
  readonly scrapeTimeoutMs?: number;
}

/**
 * The one cache of topics' end offsets, shared by publish cursors and the tail-lag metrics: one
 * request per topic at a time, answers reused for `maxAgeMs`.
 */
export interface EndOffsetsCache {
  /**
   * Ends from no later than `at` when a recent enough answer exists (a publish cursor errs
   * early), else asked for now. Rejects when the log cannot answer.
   */
  before(topic: string, at: number): Promise<EndOffsets>;
  /**
   * Recent ends of each topic, waiting at most `scrapeTimeoutMs`; a topic the log cannot answer
   * for now keeps its last known ends, or is left out. Never rejects.
   */
  recent(topics: Iterable<string>): Promise<Map<string, EndOffsets>>;
}

interface Entry {
  /** When the request behind `ends` was made. */
  requestedAt: number;
  ends?: EndOffsets;
  refreshing?: Promise<EndOffsets>;
}

export function createEndOffsetsCache(
  log: EventLog,
  options: EndOffsetsCacheOptions = {},
): EndOffsetsCache {
  const maxAgeMs = options.maxAgeMs ?? 1000;
  const scrapeTimeoutMs = options.scrapeTimeoutMs ?? 500;
  const known = new Map<string, Entry>();

  function refresh(topic: string): Promise<EndOffsets> {
    let entry = known.get(topic);
    if (!entry) known.set(topic, (entry = { requestedAt: 0 }));
    if (entry.refreshing) return entry.refreshing;
    const current = entry;
    const requestedAt = Date.now();
    current.refreshing = log
      .offsets(topic)
      .then((offsets) => {
        current.ends = new Map(offsets.map((o) => [o.partition, o.high]));
        current.requestedAt = requestedAt;
        return current.ends;
      })
      .finally(() => (current.refreshing = undefined));
    return current.refreshing;
  }

  /** Forgets topics nobody asked about for a while (deleted streams, closed tails). */
  function sweep(now: number): void {
    for (const [topic, entry] of known) {
      if (!entry.refreshing && now - entry.requestedAt > 60 * maxAgeMs) known.delete(topic);
    }
  }

  return {
    before(topic, at) {
      const now = Date.now();
      sweep(now);
      const entry = known.get(topic);
      if (entry?.ends && entry.requestedAt <= at && now - entry.requestedAt < maxAgeMs)
        return Promise.resolve(entry.ends);
      return refresh(topic);
    },
    async recent(topics) {
      const now = Date.now();
      sweep(now);
      const wanted = [...topics];
      const stale = wanted.filter((topic) => {
        const entry = known.get(topic);
        return !entry?.ends || now - entry.requestedAt >= maxAgeMs;
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(stale.map(refresh)),
        new Promise((resolve) => (timer = setTimeout(resolve, scrapeTimeoutMs))),
      ]);
      clearTimeout(timer);
      const ends = new Map<string, EndOffsets>();
      for (const topic of wanted) {
        const found = known.get(topic)?.ends;
        if (found) ends.set(topic, found);
      }
      return ends;
    },
  };
}
