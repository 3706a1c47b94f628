import type { EventLog } from '../log/event-log.js';
import { LogEntry, type Decode } from './delivery.js';

/** Records of one partition from `start` (inclusive) to `next` (exclusive), as one fetch read them. */
export interface Chunk<E> {
  readonly start: number;
  readonly next: number;
  readonly entries: readonly LogEntry<E>[];
  readonly bytes: number;
}

export interface CatchUpReadsOptions<E> {
  readonly log: EventLog;
  readonly decode: Decode<E>;
  /** Fetches under way at once; the rest wait their turn. */
  readonly concurrency: number;
  /** Bytes of recently fetched chunks kept for catch-ups at nearby positions. */
  readonly cacheBytes: number;
  /** About how many bytes one fetch reads. */
  readonly chunkBytes: number;
}

/**
 * How many offsets apart two catch-ups of a partition may be and still share a fetch: about
 * what one fetch returns of small events, so the one further on usually finds itself covered.
 */
const NEAR = 500;

interface Job<E> {
  readonly key: string;
  readonly stream: string;
  readonly partition: number;
  /** Lowered while queued, so a catch-up a little behind another shares its fetch. */
  start: number;
  readonly owner: string;
  readonly result: Promise<Chunk<E>>;
  resolve(chunk: Chunk<E>): void;
  reject(error: unknown): void;
}

export interface CatchUpStats {
  readonly running: number;
  readonly queued: number;
  readonly cachedBytes: number;
}

/**
 * The catch-up path: reads of the past by partition and offset, shared and queued.
 *
 * - Shared: a read that falls inside a chunk fetched a moment ago is served from it, and one
 *   that finds a fetch of its partition waiting in the queue joins it (the fetch then starts at
 *   the lower of the two offsets), so catch-ups at nearby positions cost one fetch between them.
 * - Queued, never refused: at most `concurrency` fetches run at once; the others wait in one
 *   queue per owner (a token), served in turn, so one owner's many catch-ups cannot keep the
 *   others waiting. A waiting catch-up holds its position and nothing else.
 */
export class CatchUpReads<E> {
  private readonly cache = new Map<string, Chunk<E>[]>();
  /** Chunks in least-recently-used order, with their cache keys. */
  private readonly recency = new Map<Chunk<E>, string>();
  private cachedBytes = 0;
  private readonly queued = new Map<string, Job<E>[]>();
  private readonly running = new Map<string, Job<E>[]>();
  private runningCount = 0;
  /** Per owner, its jobs waiting, oldest first. */
  private readonly owners = new Map<string, Job<E>[]>();
  /** Per owner, its fetches under way. */
  private readonly runningByOwner = new Map<string, number>();
  /** Per owner with fetches under way or waiting, when its last fetch started (a sequence number). */
  private readonly lastServed = new Map<string, number>();
  private served = 0;
  private closed: unknown = undefined;

  constructor(private readonly options: CatchUpReadsOptions<E>) {}

  /** A chunk holding `offset` of the partition, or reaching past it if nothing is there. */
  async read(stream: string, partition: number, offset: number, owner: string): Promise<Chunk<E>> {
    const key = `${partition}\u0000${stream}`;
    for (;;) {
      if (this.closed !== undefined) throw this.closed;
      const cached = this.cached(key, offset);
      if (cached) return cached;
      const job =
        this.running
          .get(key)
          ?.find((running) => running.start <= offset && offset - running.start < NEAR) ??
        this.joinQueued(key, offset) ??
        this.enqueue(key, stream, partition, offset, owner);
      const chunk = await job.result;
      // A fetch that started lower may have stopped short of `offset`: then read on from there.
      if (covers(chunk, offset) || chunk.start === offset) return chunk;
    }
  }

  stats(): CatchUpStats {
    let queued = 0;
    for (const jobs of this.queued.values()) queued += jobs.length;
    return { running: this.runningCount, queued, cachedBytes: this.cachedBytes };
  }

  /** Fails every waiting read with `error`; reads after this fail at once. */
  close(error: unknown): void {
    this.closed = error ?? new Error('the fan-out is closed');
    for (const jobs of this.queued.values()) for (const job of jobs) job.reject(this.closed);
    this.queued.clear();
    this.owners.clear();
    this.lastServed.clear();
    this.cache.clear();
    this.recency.clear();
    this.cachedBytes = 0;
  }

  private cached(key: string, offset: number): Chunk<E> | undefined {
    const chunk = this.cache.get(key)?.find((c) => covers(c, offset));
    if (chunk) {
      this.recency.delete(chunk);
      this.recency.set(chunk, key);
    }
    return chunk;
  }

  /** A fetch of this partition waiting in the queue near `offset`, now starting at it at the latest. */
  private joinQueued(key: string, offset: number): Job<E> | undefined {
    const waiting = this.queued.get(key)?.find((job) => Math.abs(job.start - offset) < NEAR);
    if (waiting) waiting.start = Math.min(waiting.start, offset);
    return waiting;
  }

  private enqueue(
    key: string,
    stream: string,
    partition: number,
    offset: number,
    owner: string,
  ): Job<E> {
    let resolve!: (chunk: Chunk<E>) => void;
    let reject!: (error: unknown) => void;
    const result = new Promise<Chunk<E>>((res, rej) => ((resolve = res), (reject = rej)));
    const job: Job<E> = { key, stream, partition, start: offset, owner, result, resolve, reject };
    const others = this.queued.get(key);
    if (others) others.push(job);
    else this.queued.set(key, [job]);
    const mine = this.owners.get(owner);
    if (mine) mine.push(job);
    else this.owners.set(owner, [job]);
    this.pump();
    return job;
  }

  /**
   * Starts queued fetches while there is room: next is the owner served least recently, so
   * owners take turns however many fetches each has queued.
   */
  private pump(): void {
    while (this.runningCount < this.options.concurrency && this.owners.size > 0) {
      let next: string | undefined;
      let oldest = Infinity;
      for (const owner of this.owners.keys()) {
        const last = this.lastServed.get(owner) ?? -1;
        if (last < oldest) [next, oldest] = [owner, last];
      }
      const jobs = this.owners.get(next!)!;
      const job = jobs.shift()!;
      if (jobs.length === 0) this.owners.delete(next!);
      this.lastServed.set(next!, this.served++);
      const others = this.queued.get(job.key)?.filter((other) => other !== job) ?? [];
      if (others.length > 0) this.queued.set(job.key, others);
      else this.queued.delete(job.key);
      void this.run(job);
    }
  }

  private async run(job: Job<E>): Promise<void> {
    this.runningCount++;
    this.runningByOwner.set(job.owner, (this.runningByOwner.get(job.owner) ?? 0) + 1);
    const running = this.running.get(job.key);
    if (running) running.push(job);
    else this.running.set(job.key, [job]);
    try {
      const fetched = await this.options.log.fetch({
        topic: job.stream,
        partition: job.partition,
        offset: job.start,
        maxBytes: this.options.chunkBytes,
      });
      const entries = fetched.records.map(
        (record) => new LogEntry<E>(job.stream, record, this.options.decode),
      );
      const chunk: Chunk<E> = {
        start: job.start,
        next: fetched.next,
        entries,
        bytes: entries.reduce((sum, entry) => sum + entry.size, 0),
      };
      if (this.closed === undefined && chunk.next > chunk.start) this.remember(job.key, chunk);
      job.resolve(chunk);
    } catch (error) {
      job.reject(error);
    } finally {
      this.runningCount--;
      const owned = (this.runningByOwner.get(job.owner) ?? 1) - 1;
      if (owned > 0) this.runningByOwner.set(job.owner, owned);
      else {
        this.runningByOwner.delete(job.owner);
        if (!this.owners.has(job.owner)) this.lastServed.delete(job.owner);
      }
      const left = this.running.get(job.key)?.filter((other) => other !== job) ?? [];
      if (left.length > 0) this.running.set(job.key, left);
      else this.running.delete(job.key);
      this.pump();
    }
  }

  private remember(key: string, chunk: Chunk<E>): void {
    const chunks = this.cache.get(key);
    if (chunks) chunks.push(chunk);
    else this.cache.set(key, [chunk]);
    this.recency.set(chunk, key);
    this.cachedBytes += chunk.bytes;
    for (const [oldest, oldestKey] of this.recency) {
      if (this.cachedBytes <= this.options.cacheBytes) break;
      this.recency.delete(oldest);
      this.cachedBytes -= oldest.bytes;
      const rest = this.cache.get(oldestKey)?.filter((c) => c !== oldest) ?? [];
      if (rest.length > 0) this.cache.set(oldestKey, rest);
      else this.cache.delete(oldestKey);
    }
  }
}

/** True when the chunk holds what lies at `offset`: it starts at or before it and reaches past it. */
function covers(chunk: Chunk<unknown>, offset: number): boolean {
  return chunk.start <= offset && offset < chunk.next;
}
