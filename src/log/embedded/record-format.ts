/**
 * The segment file format. A segment is a sequence of frames:
 *
 *   frame  = bodyLength u32 | crc32(body) u32 | body
 *   body   = format u8 (1) | offset i64 | timestamp i64
 *          | keyLength i32 (-1: null) | key UTF-8
 *          | headerCount u32 | (nameLength u32 | name UTF-8 | valueLength u32 | value UTF-8)*
 *          | valueLength i32 (-1: null) | value bytes
 *
 * All integers big-endian. The value is stored as raw bytes (never JSON), so a 1 MiB record costs
 * 1 MiB plus a few dozen bytes. The CRC lets recovery tell a torn or corrupt tail from a record.
 */
import { crc32 } from 'node:zlib';
import type { AppendRecord, LogRecord } from '../event-log.js';

export const FRAME_HEADER_BYTES = 8;
const FORMAT = 1;
const TWO_POW_32 = 2 ** 32;
const OFFSET_AT = 1;
const TIMESTAMP_AT = 9;
const KEY_AT = 17;
/** The smallest body: format, offset, timestamp, null key, no headers, null value. */
export const MIN_BODY_BYTES = KEY_AT + 4 + 4 + 4;

/** A record validated and measured before it is queued, so a write never fails on its shape. */
export interface PreparedRecord {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: readonly (readonly [string, string])[];
  readonly timestamp: number;
  /** Bytes of the body (the frame adds FRAME_HEADER_BYTES). */
  readonly bodyBytes: number;
}

export function prepareRecord(record: AppendRecord, now: number): PreparedRecord {
  // `?? null`: plain-JS callers leave key or value out where the types say null.
  const key = record.key ?? null;
  const value = record.value ?? null;
  const headers = Object.entries(record.headers ?? {});
  let bodyBytes = MIN_BODY_BYTES;
  if (key !== null) bodyBytes += Buffer.byteLength(key, 'utf8');
  if (value !== null) bodyBytes += value.length;
  for (const [name, value] of headers) {
    bodyBytes += 8 + Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  return {
    key,
    value,
    headers,
    timestamp: record.timestamp ?? now,
    bodyBytes,
  };
}

/** Writes the frame of `record` at `at` in `target`; returns the position after it. */
export function writeFrame(
  target: Buffer,
  at: number,
  offset: number,
  record: PreparedRecord,
): number {
  const bodyStart = at + FRAME_HEADER_BYTES;
  let p = bodyStart;
  p = target.writeUInt8(FORMAT, p);
  p = writeInt64(target, p, offset);
  p = writeInt64(target, p, record.timestamp);
  p = record.key === null ? target.writeInt32BE(-1, p) : writeString(target, p, record.key);
  p = target.writeUInt32BE(record.headers.length, p);
  for (const [name, value] of record.headers) {
    p = writeString(target, p, name);
    p = writeString(target, p, value);
  }
  if (record.value === null) {
    p = target.writeInt32BE(-1, p);
  } else {
    p = target.writeInt32BE(record.value.length, p);
    p += record.value.copy(target, p);
  }
  target.writeUInt32BE(p - bodyStart, at);
  target.writeUInt32BE(crc32(target.subarray(bodyStart, p)), at + 4);
  return p;
}

/** True when the body is intact: the CRC of the frame matches and the format is known. */
export function isIntactBody(body: Buffer, crc: number): boolean {
  return body.length >= MIN_BODY_BYTES && body[0] === FORMAT && crc32(body) === crc;
}

export function bodyOffset(body: Buffer): number {
  return readInt64(body, OFFSET_AT);
}

export function bodyTimestamp(body: Buffer): number {
  return readInt64(body, TIMESTAMP_AT);
}

/** Decodes a body. The value is a view into `body` (no copy): it keeps the read chunk alive. */
export function decodeBody(body: Buffer, topic: string, partition: number): LogRecord {
  let p = KEY_AT;
  const keyLength = body.readInt32BE(p);
  p += 4;
  let key: string | null = null;
  if (keyLength >= 0) {
    key = body.toString('utf8', p, p + keyLength);
    p += keyLength;
  }
  const headerCount = body.readUInt32BE(p);
  p += 4;
  const headers: Record<string, string> = {};
  for (let i = 0; i < headerCount; i++) {
    const nameLength = body.readUInt32BE(p);
    const name = body.toString('utf8', p + 4, p + 4 + nameLength);
    p += 4 + nameLength;
    const valueLength = body.readUInt32BE(p);
    const value = body.toString('utf8', p + 4, p + 4 + valueLength);
    p += 4 + valueLength;
    if (name === '__proto__') {
      // Assigning would set the prototype; the header must stay a plain own property.
      Object.defineProperty(headers, name, { value, enumerable: true, writable: true });
    } else {
      headers[name] = value;
    }
  }
  const valueLength = body.readInt32BE(p);
  p += 4;
  const value = valueLength >= 0 ? body.subarray(p, p + valueLength) : null;
  return {
    topic,
    partition,
    offset: bodyOffset(body),
    timestamp: bodyTimestamp(body),
    key,
    value,
    headers,
  };
}

function writeString(target: Buffer, at: number, text: string): number {
  const length = target.write(text, at + 4, 'utf8');
  target.writeUInt32BE(length, at);
  return at + 4 + length;
}

/** Safe integers as two 32-bit halves: exact, and no BigInt per record. */
function writeInt64(target: Buffer, at: number, value: number): number {
  const high = Math.floor(value / TWO_POW_32);
  target.writeInt32BE(high, at);
  target.writeUInt32BE(value - high * TWO_POW_32, at + 4);
  return at + 8;
}

function readInt64(source: Buffer, at: number): number {
  return source.readInt32BE(at) * TWO_POW_32 + source.readUInt32BE(at + 4);
}
