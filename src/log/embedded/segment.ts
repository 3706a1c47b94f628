import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeDamageReport } from './damage-reports.js';
import { syncDirectory } from './fs-sync.js';
import { offsetFloorAfterLoss, planRecovery, type RecoveryPlan } from './segment-recovery.js';
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
  /** Where a damaged segment's original file is copied before it is repaired. */
  readonly quarantineDir: string;
  /** Bodies larger than this are torn length fields, never records. */
  readonly maxBodyBytes: number;
  readonly logger: EmbeddedLogLogger;
}

/** Damage before the tail that recovery found, repaired and set aside. */
export interface SegmentDamage {
  /** The segment file, repaired: it holds the intact records on both sides of the damage. */
  readonly path: string;
  /** The original file as it was found, for the operator. */
  readonly quarantinedAs: string;
  /** Bytes that could not be read as records. */
  readonly damagedBytes: number;
  /** Offsets that may have been in those bytes: [first, last]. */
  readonly lostOffsets: readonly (readonly [number, number])[];
}

/** What opening a segment found beyond whole records. */
export interface SegmentRecovery {
  readonly damage?: SegmentDamage;
  /**
   * Set when bytes at the end were cut off (a torn write, or damage at the end): the first
   * offset that can not have been handed out before. The partition continues from there.
   */
  readonly offsetFloor?: number;
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
  private found: SegmentRecovery = {};

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

  /** What recovery found at open: damage set aside, bytes cut off at the end. */
  get recovery(): SegmentRecovery {
    return this.found;
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
   * Opens an existing segment and rebuilds its index. Bad bytes at the end (a write cut short)
   * are cut off. Damage before the end (intact records after bad bytes) is repaired: the
   * original file is copied to the quarantine directory and the segment rewritten with every
   * intact record, each at its own offset. Either way `recovery` says what happened, and no
   * offset that lost bytes may have held is handed out again.
   */
  static async open(dir: string, baseOffset: number, settings: SegmentSettings): Promise<Segment> {
    const path = join(dir, Segment.fileName(baseOffset));
    await rm(`${path}${REPAIR_SUFFIX}`, { force: true });
    const handle = await open(path, 'r+');
    const segment = new Segment(baseOffset, path, handle, settings);
    let repair: { plan: RecoveryPlan; cleanBytes: number } | undefined;
    try {
      repair = await segment.recover((await handle.stat()).size);
    } catch (error) {
      await handle.close();
      throw error;
    }
    if (!repair) return segment;
    await handle.close();
    const damage = await repairSegment(path, baseOffset, repair.plan, repair.cleanBytes, settings);
    const repaired = await Segment.open(dir, baseOffset, settings);
    repaired.found = { ...repaired.found, damage, ...floorOf(repair.plan) };
    return repaired;
  }

  /** Indexes the intact frames; returns a repair plan when damage lies before the end. */
  private async recover(
    fileSize: number,
  ): Promise<{ plan: RecoveryPlan; cleanBytes: number } | undefined> {
    const result = await scanFrames(
      this.handle,
      0,
      fileSize,
      { chunkBytes: 1024 * 1024, maxBodyBytes: this.settings.maxBodyBytes },
      (body, crc, position) => {
        if (!isIntactBody(body, crc)) return false;
        const offset = bodyOffset(body);
        if (offset < this.nextOffset) return false;
        this.noteFrame(
          { offset, timestamp: bodyTimestamp(body), bytes: body.length + FRAME_HEADER_BYTES },
          position,
        );
        return true;
      },
    );
    if (result.position >= fileSize) return undefined;
    const rest = Buffer.alloc(fileSize - result.position);
    await this.handle.read(rest, 0, rest.length, result.position);
    const plan = planRecovery(
      rest,
      result.position,
      this.nextOffset - 1,
      this.settings.maxBodyBytes,
    );
    if (plan.damaged.length > 0) return { plan, cleanBytes: result.position };
    // Only a tail: the last write, cut short.
    this.settings.logger.warn(
      { path: this.path, keptBytes: result.position, droppedBytes: fileSize - result.position },
      'embedded log: truncating a torn write at the end of a segment',
    );
    await this.handle.truncate(result.position);
    await this.handle.datasync();
    this.found = floorOf(plan);
    return undefined;
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

const REPAIR_SUFFIX = '.repair';

/** The offset floor a cut-off tail leaves, if the plan has one. */
function floorOf(plan: RecoveryPlan): { offsetFloor?: number } {
  if (!plan.tail) return {};
  return { offsetFloor: offsetFloorAfterLoss(plan.tail.lastOffsetBefore, plan.tail.bytes) };
}

/**
 * Copies the damaged file to the quarantine directory, then replaces it (write, fsync, rename)
 * with its clean prefix and the intact frames the plan keeps. A crash part way leaves either
 * the original or the repaired file in place, and the next open repairs again.
 */
async function repairSegment(
  path: string,
  baseOffset: number,
  plan: RecoveryPlan,
  cleanBytes: number,
  settings: SegmentSettings,
): Promise<SegmentDamage> {
  const partitionDir = dirname(path);
  // <quarantine>/<topic>/<partition>/<segment file>.<time>
  const quarantineDir = join(
    settings.quarantineDir,
    basename(dirname(partitionDir)),
    basename(partitionDir),
  );
  const quarantinedAs = join(
    quarantineDir,
    `${Segment.fileName(baseOffset)}.${new Date().toISOString().replace(/[:.]/g, '-')}`,
  );
  await mkdir(quarantineDir, { recursive: true });
  await copyFile(path, quarantinedAs);
  const original = await open(path, 'r');
  const repaired = await open(`${path}${REPAIR_SUFFIX}`, 'w');
  try {
    const copy = async (start: number, end: number) => {
      const bytes = Buffer.alloc(end - start);
      await original.read(bytes, 0, bytes.length, start);
      await repaired.write(bytes);
    };
    if (cleanBytes > 0) await copy(0, cleanBytes);
    for (const [start, end] of plan.keep) await copy(start, end);
    await repaired.sync();
  } finally {
    await original.close();
    await repaired.close();
  }
  const damage: SegmentDamage = {
    path,
    quarantinedAs,
    damagedBytes:
      plan.damaged.reduce((sum, range) => sum + range.end - range.start, 0) +
      (plan.tail?.bytes ?? 0),
    lostOffsets: [
      ...plan.damaged.map(
        (range) => [range.lastOffsetBefore + 1, range.firstOffsetAfter - 1] as const,
      ),
      ...(plan.tail
        ? [
            [
              plan.tail.lastOffsetBefore + 1,
              offsetFloorAfterLoss(plan.tail.lastOffsetBefore, plan.tail.bytes) - 1,
            ] as const,
          ]
        : []),
    ].filter(([first, last]) => last >= first),
  };
  // Reported before the repaired file takes the damaged one's place: once it has, the damage can
  // no longer be found, and only the report tells the next start what was lost.
  await writeDamageReport({
    topic: basename(dirname(partitionDir)),
    partition: Number(basename(partitionDir)),
    lostOffsets: damage.lostOffsets,
    damagedBytes: damage.damagedBytes,
    quarantinedAs,
    segment: path,
  });
  await syncDirectory(quarantineDir);
  await rename(`${path}${REPAIR_SUFFIX}`, path);
  await syncDirectory(partitionDir);
  const { logger } = settings;
  (logger.error ?? logger.warn).call(
    logger,
    { ...damage, lostOffsets: damage.lostOffsets.map(([a, b]) => `${a}-${b}`) },
    'embedded log: damaged records before the end of a segment; the intact records were kept, the original file set aside',
  );
  return damage;
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
