/**
 * What recovery does with the bytes of a segment after its first bad frame (bad CRC, impossible
 * length, offset out of order). It tells two cases apart by looking for intact frames further on:
 *
 * - none: the bad bytes are the tail, the last write cut short by a crash. They are cut off.
 * - some: the damage lies before the tail (a flipped bit, a bad sector). The intact frames on
 *   both sides are kept with their offsets, the damaged bytes are set aside, and the log reports it.
 *
 * Either way no offset is handed out twice: the offsets the lost bytes may have held are skipped.
 */
import { FRAME_HEADER_BYTES, MIN_BODY_BYTES, bodyOffset, isIntactBody } from './record-format.js';

/** The smallest frame: one lost byte range of n bytes held at most ceil(n / this) records. */
export const MIN_FRAME_BYTES = FRAME_HEADER_BYTES + MIN_BODY_BYTES;

/** Bad bytes followed by intact frames. Positions are file positions. */
export interface DamagedRange {
  readonly start: number;
  readonly end: number;
  /** The offset of the intact frame before the damage (the segment's base - 1 if none). */
  readonly lastOffsetBefore: number;
  /** The offset of the first intact frame after it. */
  readonly firstOffsetAfter: number;
}

export interface RecoveryPlan {
  /** File ranges [start, end) of intact frames to keep, after the clean prefix, in order. */
  readonly keep: readonly (readonly [number, number])[];
  readonly damaged: readonly DamagedRange[];
  /** Bad bytes at the end with no intact frame after them. */
  readonly tail?: {
    readonly start: number;
    readonly bytes: number;
    readonly lastOffsetBefore: number;
  };
}

/**
 * Plans recovery of `bytes`, the segment's content from file position `from` (the first bad
 * frame) to its end; `lastOffset` is the offset of the last intact frame before it.
 */
export function planRecovery(
  bytes: Buffer,
  from: number,
  lastOffset: number,
  maxBodyBytes: number,
): RecoveryPlan {
  const keep: [number, number][] = [];
  const damaged: DamagedRange[] = [];
  let last = lastOffset;
  let at = 0;
  while (at < bytes.length) {
    const frame = intactFrameAt(bytes, at, last, maxBodyBytes);
    if (frame) {
      keep.push([from + at, from + at + frame.bytes]);
      last = frame.offset;
      at += frame.bytes;
      continue;
    }
    const next = nextIntactFrame(bytes, at + 1, last, maxBodyBytes);
    if (next === undefined) {
      return {
        keep,
        damaged,
        tail: { start: from + at, bytes: bytes.length - at, lastOffsetBefore: last },
      };
    }
    damaged.push({
      start: from + at,
      end: from + next.at,
      lastOffsetBefore: last,
      firstOffsetAfter: next.offset,
    });
    at = next.at;
  }
  return { keep, damaged };
}

/** The first offset that cannot have been handed out before `bytes` lost bytes after `last`. */
export function offsetFloorAfterLoss(last: number, bytes: number): number {
  return last + 1 + Math.ceil(bytes / MIN_FRAME_BYTES);
}

function intactFrameAt(
  bytes: Buffer,
  at: number,
  last: number,
  maxBodyBytes: number,
): { bytes: number; offset: number } | undefined {
  if (bytes.length - at < FRAME_HEADER_BYTES + MIN_BODY_BYTES) return undefined;
  const bodyBytes = bytes.readUInt32BE(at);
  if (bodyBytes < MIN_BODY_BYTES || bodyBytes > maxBodyBytes) return undefined;
  const end = at + FRAME_HEADER_BYTES + bodyBytes;
  if (end > bytes.length) return undefined;
  const body = bytes.subarray(at + FRAME_HEADER_BYTES, end);
  // Cheap checks before the CRC: the format byte and an offset after the last one.
  if (body[0] !== 1) return undefined;
  const offset = bodyOffset(body);
  if (!(offset > last)) return undefined;
  if (!isIntactBody(body, bytes.readUInt32BE(at + 4))) return undefined;
  return { bytes: end - at, offset };
}

/** The next position from `start` where an intact frame begins, trying every byte. */
function nextIntactFrame(
  bytes: Buffer,
  start: number,
  last: number,
  maxBodyBytes: number,
): { at: number; offset: number } | undefined {
  for (let at = start; at + FRAME_HEADER_BYTES + MIN_BODY_BYTES <= bytes.length; at++) {
    // The format byte first: almost every position fails here, before any arithmetic.
    if (bytes[at + FRAME_HEADER_BYTES] !== 1) continue;
    const frame = intactFrameAt(bytes, at, last, maxBodyBytes);
    if (frame) return { at, offset: frame.offset };
  }
  return undefined;
}
