import type { FileHandle } from 'node:fs/promises';
import { FRAME_HEADER_BYTES, MIN_BODY_BYTES } from './record-format.js';

/**
 * Called with each complete frame in file order. `body` is a view into the chunk just read.
 * Return false to stop before this frame (it counts as not consumed).
 */
export type FrameVisitor = (body: Buffer, crc: number, position: number) => boolean | void;

export interface ScanResult {
  /** Where scanning stopped: the end, the frame the visitor refused, or the start of a bad frame. */
  readonly position: number;
  /** 'torn': a frame is cut short by `end` or has an impossible length. */
  readonly status: 'end' | 'stopped' | 'torn';
}

export interface ScanLimits {
  /** Bytes read per I/O call; a larger frame is read on its own. */
  readonly chunkBytes: number;
  /** A body longer than this is garbage (a torn length field), not a record. */
  readonly maxBodyBytes: number;
}

/**
 * Walks the frames of a segment between `start` and `end` with large reads: one I/O per chunk,
 * a synchronous visit per frame (no await per record).
 */
export async function scanFrames(
  handle: FileHandle,
  start: number,
  end: number,
  limits: ScanLimits,
  visit: FrameVisitor,
): Promise<ScanResult> {
  let position = start;
  let want = limits.chunkBytes;
  while (position < end) {
    const chunk = await readAt(handle, position, Math.min(want, end - position));
    want = limits.chunkBytes;
    let at = 0;
    while (chunk.length - at >= FRAME_HEADER_BYTES) {
      const bodyBytes = chunk.readUInt32BE(at);
      if (bodyBytes < MIN_BODY_BYTES || bodyBytes > limits.maxBodyBytes) {
        return { position: position + at, status: 'torn' };
      }
      const frameBytes = FRAME_HEADER_BYTES + bodyBytes;
      if (position + at + frameBytes > end) return { position: position + at, status: 'torn' };
      if (at + frameBytes > chunk.length) {
        // Only the first frame of a chunk can need a bigger read: ask for exactly that frame.
        if (at === 0) want = frameBytes;
        break;
      }
      const body = chunk.subarray(at + FRAME_HEADER_BYTES, at + frameBytes);
      if (visit(body, chunk.readUInt32BE(at + 4), position + at) === false) {
        return { position: position + at, status: 'stopped' };
      }
      at += frameBytes;
    }
    if (at === 0 && want === limits.chunkBytes) {
      // Fewer bytes than a frame header before `end`.
      return { position, status: 'torn' };
    }
    position += at;
  }
  return { position, status: 'end' };
}

/** Reads exactly `length` bytes (fewer only if the file is shorter than expected). */
async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}
