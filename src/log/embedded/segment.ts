import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { LogError, LogErrorCode } from '../event-log.js';
import type { LogRecord } from '../event-log.js';
import { scanFrames } from './frame-scanner.js';
import type { ScanLimits } from './frame-scanner.js';
import {
  FRAME_HEADER_BYTES,
  bodyOffset,
  bodyTimestamp,
  decodeBody,
  isIntactBody,
} from './record-format.js';
import type { EmbeddedLogLogger } from './options.js';

const SUFFIX = '.log';
const TIME_SCAN_CHUNK_BYTES = 64 * 1024;

/** Where a frame landed, noted after it is written. */
export interface WrittenFrame {
  readonly offset: number;
  readonly timestamp: number;
  readonly bytes: number;
}

export interface SegmentSettings {
  readonly indexIntervalBytes: number;
  /** Bodies larger than this are torn length fields, never records. */
  readonly maxBodyBytes: number;
  readonly logger: EmbeddedLogLogger;
}

export interface ReadLimits {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

/**
 * One segment file: the frames of consecutive offsets starting at `baseOffset` (its file name).
 * Keeps a sparse in-memory index, rebuilt at open, from offset to file position, and beside each
 * entry the largest timestamp before it, which makes a time lookup a binary search.
 */
export class Segment {
  private bytes = 0;
  private next: number;
  private newest = Number.NEGATIVE_INFINITY;
  private readonly indexOffsets: number[] = [];
  private readonly indexPositions: number[] = [];
  private readonly indexMaxTimestampBefore: number[] = [];
  private lastIndexedPosition = Number.NEGATIVE_INFINITY;
  private readers = 0;
  private retired = false;

  private constructor(
    readonly baseOffset: number,
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly settings: SegmentSettings,
  ) {
    this.next = baseOffset;
  }

  /** Bytes of whole frames in the file; readers never look past it. */
  get size(): number {
    return this.bytes;
  }

  /** The offset after the last record (the base offset while empty). */
  get nextOffset(): number {
    return this.next;
  }

  /** The newest timestamp in the segment (-Infinity while empty): retention and time lookups. */
  get maxTimestamp(): number {
    return this.newest;
  }

  get isEmpty(): boolean {
    return this.bytes === 0;
  }

  /** True once deleted by retention or closed: read the partition's current segments instead. */
  get isRetired(): boolean {
    return this.retired;
  }

  static fileName(baseOffset: number): string {
    return `${String(baseOffset).padStart(20, '0')}${SUFFIX}`;
  }

  /** The base offset a segment file name encodes, or undefined for any other file. */
  static baseOffsetOf(fileName: string): number | undefined {
    if (!/^\d{20}\.log$/.test(fileName)) return undefined;
    const base = Number(fileName.slice(0, -SUFFIX.length));
    return Number.isSafeInteger(base) ? base : undefined;
  }

  /** A new, empty segment file (it must not exist yet). */
  static async create(
    dir: string,
    baseOffset: number,
    settings: SegmentSettings,
  ): Promise<Segment> {
    const path = join(dir, Segment.fileName(baseOffset));
    return new Segment(baseOffset, path, await open(path, 'wx+'), settings);
  }

  /**
   * Opens an existing segment and rebuilds its index. A torn or corrupt tail (short frame, bad
   * CRC, offsets out of order) is cut off: only whole records that were written survive.
   */
  static async open(dir: string, baseOffset: number, settings: SegmentSettings): Promise<Segment> {
    const path = join(dir, Segment.fileName(baseOffset));
    const handle = await open(path, 'r+');
    const segment = new Segment(baseOffset, path, handle, settings);
    try {
      await segment.recover((await handle.stat()).size);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return segment;
  }

  private async recover(fileSize: number): Promise<void> {
    let dropReason = 'a torn record';
    const result = await scanFrames(
      this.handle,
      0,
      fileSize,
      { chunkBytes: 1024 * 1024, maxBodyBytes: this.settings.maxBodyBytes },
      (body, crc, position) => {
        if (!isIntactBody(body, crc)) {
          dropReason = 'a record with a bad CRC';
          return false;
        }
        const offset = bodyOffset(body);
        if (offset < this.nextOffset) {
          dropReason = 'a record out of offset order';
          return false;
        }
        this.noteFrame(
          { offset, timestamp: bodyTimestamp(body), bytes: body.length + FRAME_HEADER_BYTES },
          position,
        );
        return true;
      },
    );
    if (result.position < fileSize) {
      this.settings.logger.warn(
        { path: this.path, keptBytes: result.position, droppedBytes: fileSize - result.position },
        `embedded log: truncating ${dropReason} and what follows at the end of a segment`,
      );
      await this.handle.truncate(result.position);
      await this.handle.datasync();
    }
  }

  /** Writes encoded frames at the end of the file, then indexes them. */
  async append(frames: Buffer, written: readonly WrittenFrame[]): Promise<void> {
    let done = 0;
    while (done < frames.length) {
      const { bytesWritten } = await this.handle.write(
        frames,
        done,
        frames.length - done,
        this.size + done,
      );
      done += bytesWritten;
    }
    let position = this.size;
    for (const frame of written) {
      this.noteFrame(frame, position);
      position += frame.bytes;
    }
  }

  private noteFrame(frame: WrittenFrame, position: number): void {
    if (position - this.lastIndexedPosition >= this.settings.indexIntervalBytes) {
      this.indexOffsets.push(frame.offset);
      this.indexPositions.push(position);
      this.indexMaxTimestampBefore.push(this.newest);
      this.lastIndexedPosition = position;
    }
    if (frame.timestamp > this.newest) this.newest = frame.timestamp;
    this.next = frame.offset + 1;
    this.bytes = position + frame.bytes;
  }

  async sync(): Promise<void> {
    await this.handle.datasync();
  }

  /** Records from `from` (or the first after it) below `high`, within the limits. */
  async read(
    from: number,
    high: number,
    limits: ReadLimits,
    topic: string,
    partition: number,
  ): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    let bytes = 0;
    const result = await this.scan(
      this.positionFor(from),
      { chunkBytes: limits.maxBytes, maxBodyBytes: this.settings.maxBodyBytes },
      (body) => {
        const offset = bodyOffset(body);
        if (offset < from) return true;
        if (offset >= high || records.length >= limits.maxRecords) return false;
        if (records.length > 0 && bytes + body.length > limits.maxBytes) return false;
        records.push(decodeBody(body, topic, partition));
        bytes += body.length;
        return true;
      },
    );
    if (result.status === 'torn') {
      throw new LogError(
        LogErrorCode.Internal,
        `segment ${this.path} is damaged at byte ${result.position}`,
      );
    }
    return records;
  }

  /** The first offset whose timestamp is >= `timestamp`, if the segment holds one. */
  async offsetForTime(timestamp: number): Promise<number | undefined> {
    if (this.maxTimestamp < timestamp) return undefined;
    // Every record before the last entry whose "max before" is < timestamp is older: start there.
    const entry = lastIndexAtMost(this.indexMaxTimestampBefore, timestamp, true);
    let found: number | undefined;
    await this.scan(
      entry < 0 ? 0 : this.indexPositions[entry]!,
      { chunkBytes: TIME_SCAN_CHUNK_BYTES, maxBodyBytes: this.settings.maxBodyBytes },
      (body) => {
        if (bodyTimestamp(body) < timestamp) return true;
        found = bodyOffset(body);
        return false;
      },
    );
    return found;
  }

  private positionFor(offset: number): number {
    const entry = lastIndexAtMost(this.indexOffsets, offset, false);
    return entry < 0 ? 0 : this.indexPositions[entry]!;
  }

  /** Scans under a reader reference, so retention cannot close the file mid-read. */
  private async scan(
    start: number,
    limits: ScanLimits,
    visit: Parameters<typeof scanFrames>[4],
  ): Promise<Awaited<ReturnType<typeof scanFrames>>> {
    if (this.retired) throw new RetiredSegmentError(this.path);
    this.readers++;
    try {
      return await scanFrames(this.handle, start, this.size, limits, visit);
    } finally {
      this.readers--;
      if (this.retired && this.readers === 0) await this.closeQuietly();
    }
  }

  /** Deletes the file (retention); the handle closes once in-flight reads finish. */
  async retire(): Promise<void> {
    this.retired = true;
    await rm(this.path, { force: true });
    if (this.readers === 0) await this.closeQuietly();
  }

  async close(): Promise<void> {
    this.retired = true;
    if (this.readers === 0) await this.closeQuietly();
  }

  private async closeQuietly(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

/** A read reached a segment that retention deleted meanwhile; the caller looks again. */
export class RetiredSegmentError extends Error {
  constructor(path: string) {
    super(`segment ${path} was deleted`);
    this.name = 'RetiredSegmentError';
  }
}

/**
 * Index of the last element <= value (or < value when `strict`) in a non-decreasing array; -1
 * when there is none.
 */
function lastIndexAtMost(sorted: readonly number[], value: number, strict: boolean): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const element = sorted[middle]!;
    if (strict ? element < value : element <= value) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
