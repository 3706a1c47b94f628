import { mkdir, readdir } from 'node:fs/promises';
import { LogError, LogErrorCode } from '../event-log.js';
import type { LogRecord } from '../event-log.js';
import { syncDirectory } from './fs-sync.js';
import type { FsyncPolicy } from './options.js';
import { FRAME_HEADER_BYTES, writeFrame } from './record-format.js';
import type { PreparedRecord } from './record-format.js';
import { RetiredSegmentError, Segment } from './segment.js';
import type { ReadLimits, SegmentSettings, WrittenFrame } from './segment.js';
import { SerialQueue } from './serial-queue.js';

export interface PartitionSettings extends SegmentSettings {
  readonly fsync: FsyncPolicy;
  readonly segmentBytes: number;
}

/** What one read hands back: records, and where the next read of the partition starts. */
export interface PartitionRead {
  readonly records: LogRecord[];
  readonly next: number;
}

interface PendingAppend {
  readonly records: readonly PreparedRecord[];
  resolve(firstOffset: number): void;
  reject(error: unknown): void;
}

/**
 * One partition: its segment files, the high watermark readers may see, and the append path.
 *
 * Appends queue up and are written by one flush loop, so a partition's writes never overlap.
 * Everything queued while a write and fsync are in flight goes out in the next single write and
 * shares the next single fsync (group commit). Records become visible to readers, and appends
 * resolve, only after that fsync (with fsync 'always').
 */
export class PartitionStore {
  private segments: readonly Segment[];
  private high: number;
  private readonly queue = new SerialQueue();
  private pending: PendingAppend[] = [];
  private flushLoop: Promise<void> | undefined;
  private dirty = false;
  private closed = false;
  private failure: LogError | undefined;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly dir: string,
    segments: readonly Segment[],
    private readonly settings: PartitionSettings,
    private readonly onCommit: () => void,
  ) {
    this.segments = segments;
    this.high = segments.at(-1)!.nextOffset;
  }

  /** Opens (or creates) the partition directory, recovering the tail of the last segment. */
  static async open(
    dir: string,
    topic: string,
    partition: number,
    settings: PartitionSettings,
    onCommit: () => void,
  ): Promise<PartitionStore> {
    await mkdir(dir, { recursive: true });
    const bases = (await readdir(dir))
      .map((name) => Segment.baseOffsetOf(name))
      .filter((base) => base !== undefined)
      .sort((a, b) => a - b);
    const segments: Segment[] = [];
    try {
      for (const base of bases) {
        const segment = await Segment.open(dir, base, settings);
        const previous = segments.at(-1);
        if (previous && segment.baseOffset < previous.nextOffset) {
          await segment.close();
          throw new LogError(
            LogErrorCode.Internal,
            `segment ${segment.path} overlaps the one before it (next offset ${previous.nextOffset})`,
          );
        }
        segments.push(segment);
      }
      // Bytes cut off the end may have held records that were acknowledged (a flipped bit in
      // the last record looks like a torn write): continue past every offset they could hold,
      // in a new segment whose name keeps that floor across restarts.
      const last = segments.at(-1);
      const floor = last?.recovery.offsetFloor;
      if (last && floor !== undefined && floor > last.nextOffset) {
        segments.push(await Segment.create(dir, floor, settings));
        await syncDirectory(dir);
      }
      if (segments.length === 0) {
        segments.push(await Segment.create(dir, 0, settings));
        if (settings.fsync !== 'never') await syncDirectory(dir);
      }
    } catch (error) {
      await Promise.all(segments.map((segment) => segment.close()));
      throw error;
    }
    return new PartitionStore(topic, partition, dir, segments, settings, onCommit);
  }

  /** The first offset still retained. */
  get lowWatermark(): number {
    return this.segments[0]!.baseOffset;
  }

  /** The offset the next record will get; records below it are visible. */
  get highWatermark(): number {
    return this.high;
  }

  private get active(): Segment {
    return this.segments.at(-1)!;
  }

  /** Queues records for the next write; resolves with the first record's offset. */
  append(records: readonly PreparedRecord[]): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      // A microtask, not a write right away: appends made in the same tick join one write.
      this.flushLoop ??= Promise.resolve().then(() => this.flushPending());
    });
  }

  private async flushPending(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await this.queue.run(() => this.writeBatch(batch));
    }
    this.flushLoop = undefined;
  }

  /** Writes a batch of appends; settles each of them and never rejects itself. */
  private async writeBatch(batch: readonly PendingAppend[]): Promise<void> {
    if (this.failure) {
      for (const entry of batch) entry.reject(this.failure);
      return;
    }
    const first = this.high;
    try {
      let offset = first;
      for (const [index, run] of this.splitBySegment(batch).entries()) {
        if (index > 0) await this.roll(offset);
        if (run.length > 0) offset = await this.writeRun(run, offset);
      }
      if (this.settings.fsync === 'always') await this.active.sync();
      else this.dirty = true;
      this.high = offset;
    } catch (cause) {
      // After a failed write or fsync the file's state is unknown (and a retried fsync may
      // report success for lost pages), so the partition stops taking writes until reopened.
      this.failure = new LogError(
        LogErrorCode.Internal,
        `embedded log: writing ${this.topic}/${this.partition} failed; it takes no appends until reopened`,
        { cause },
      );
      for (const entry of batch) entry.reject(this.failure);
      return;
    }
    let next = first;
    for (const entry of batch) {
      entry.resolve(next);
      next += entry.records.length;
    }
    this.onCommit();
  }

  /** Records grouped by the segment they go to: a new run starts where a roll is due. */
  private splitBySegment(batch: readonly PendingAppend[]): PreparedRecord[][] {
    const runs: PreparedRecord[][] = [[]];
    let used = this.active.size;
    for (const entry of batch) {
      for (const record of entry.records) {
        const bytes = FRAME_HEADER_BYTES + record.bodyBytes;
        if (used > 0 && used + bytes > this.settings.segmentBytes) {
          runs.push([]);
          used = 0;
        }
        runs.at(-1)!.push(record);
        used += bytes;
      }
    }
    return runs;
  }

  /** Encodes a run into one buffer and writes it with one call; returns the next offset. */
  private async writeRun(run: readonly PreparedRecord[], firstOffset: number): Promise<number> {
    let bytes = 0;
    for (const record of run) bytes += FRAME_HEADER_BYTES + record.bodyBytes;
    const buffer = Buffer.allocUnsafe(bytes);
    const written: WrittenFrame[] = [];
    let at = 0;
    let offset = firstOffset;
    for (const record of run) {
      const end = writeFrame(buffer, at, offset, record);
      written.push({ offset, timestamp: record.timestamp, bytes: end - at });
      at = end;
      offset++;
    }
    await this.active.append(buffer, written);
    return offset;
  }

  private async roll(baseOffset: number): Promise<void> {
    if (this.settings.fsync !== 'never') await this.active.sync();
    const segment = await Segment.create(this.dir, baseOffset, this.settings);
    if (this.settings.fsync !== 'never') await syncDirectory(this.dir);
    this.segments = [...this.segments, segment];
  }

  /** Reads records from `from` (clamped to the low watermark) below the high watermark. */
  async read(from: number, limits: ReadLimits): Promise<PartitionRead> {
    for (;;) {
      if (this.closed) throw closedError();
      const high = this.high;
      const start = Math.max(from, this.lowWatermark);
      if (start >= high) return { records: [], next: start };
      const segments = this.segments;
      try {
        for (let i = segmentIndexFor(segments, start); i < segments.length; i++) {
          const segment = segments[i]!;
          if (segment.baseOffset >= high) break;
          if (segment.nextOffset <= start) continue;
          const records = await segment.read(start, high, limits, this.topic, this.partition);
          const last = records.at(-1);
          if (last) return { records, next: last.offset + 1 };
        }
        // Only a gap (records cut by recovery) lay between start and high.
        return { records: [], next: high };
      } catch (error) {
        // Retention deleted a segment under us: look again from the new low watermark.
        if (!(error instanceof RetiredSegmentError)) throw error;
      }
    }
  }

  /** Kafka's rule: in the first segment holding a timestamp >= t, the first such record. */
  async offsetForTime(timestamp: number): Promise<number> {
    for (;;) {
      if (this.closed) throw closedError();
      const high = this.high;
      try {
        for (const segment of this.segments) {
          if (segment.maxTimestamp < timestamp) continue;
          const found = await segment.offsetForTime(timestamp);
          if (found !== undefined) return Math.min(found, high);
        }
        return high;
      } catch (error) {
        if (!(error instanceof RetiredSegmentError)) throw error;
      }
    }
  }

  /**
   * Deletes whole segments whose newest record is older than the retention, oldest first. When
   * even the active segment is expired it rolls first (as Kafka does), so low may reach high.
   * Returns how many segments were deleted.
   */
  enforceRetention(retentionMs: number, now: number): Promise<number> {
    return this.queue.run(async () => {
      if (this.closed || this.failure) return 0;
      const cutoff = now - retentionMs;
      if (!this.active.isEmpty && this.active.maxTimestamp < cutoff) await this.roll(this.high);
      const segments = this.segments;
      let expired = 0;
      while (expired < segments.length - 1 && segments[expired]!.maxTimestamp < cutoff) expired++;
      if (expired === 0) return 0;
      this.segments = segments.slice(expired);
      for (const segment of segments.slice(0, expired)) await segment.retire();
      if (this.settings.fsync !== 'never') await syncDirectory(this.dir);
      return expired;
    });
  }

  /** The 'interval' policy's periodic fsync. */
  syncIfDirty(): Promise<void> {
    return this.queue.run(async () => {
      if (!this.dirty || this.failure || this.closed) return;
      this.dirty = false;
      try {
        await this.active.sync();
      } catch (cause) {
        this.failure = new LogError(
          LogErrorCode.Internal,
          `embedded log: fsync of ${this.topic}/${this.partition} failed`,
          {
            cause,
          },
        );
      }
    });
  }

  /** Writes what is queued, syncs (unless 'never') and closes the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushLoop;
    await this.queue.run(async () => {
      try {
        if (this.dirty && !this.failure && this.settings.fsync !== 'never')
          await this.active.sync();
      } finally {
        await Promise.all(this.segments.map((segment) => segment.close()));
      }
    });
  }
}

function closedError(): LogError {
  return new LogError(LogErrorCode.Closed, 'embedded log is closed');
}

/** The last segment whose base offset is <= offset (0 when offset precedes them all). */
function segmentIndexFor(segments: readonly Segment[], offset: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (segments[middle]!.baseOffset <= offset) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
