/**
 * Cursors: opaque, versioned strings holding, per stream, the next offset to read on every
 * partition a subscription reads. Any instance resumes from one; nothing is kept server-side.
 *
 * Wire form (v1), URL-safe as it stands: `v1.<segment>[.<segment>…].<checksum>`, one segment
 * per stream in code-unit order of names: `<base64url(name)>~<partition>_<offset>[-…]`, numbers
 * in base 36, partitions ascending. The checksum folds the FNV-1a hash of every segment
 * (32 bit, base 36). Segments and their hashes are built per stream, and within one per
 * partition, so `createCursorWriter` redoes only what moved: the cursor is built once per
 * delivered event. The checksum catches truncation and hand edits; it is no secret, and needs
 * none: a cursor grants nothing (grants and the tenant scope apply whatever it says).
 */
import type { PartitionOffsets } from '../log/event-log.js';
import { gatewayError } from '../errors.js';

/** Per stream, per partition, the next offset to read. */
export type Positions = ReadonlyMap<string, ReadonlyMap<number, number>>;

export const CURSOR_VERSION = 'v1';
const PREFIX = `${CURSOR_VERSION}.`;
/** Far above any real cursor (thousands of partitions), low enough to refuse abuse cheaply. */
const MAX_CURSOR_LENGTH = 100_000;
const MAX_PARTITION = 2 ** 31 - 1;

export function encodeCursor(positions: Positions): string {
  return seal(
    [...positions.keys()].sort().map((name) => {
      const offsets = positions.get(name)!;
      const pairs = sortedPartitions(offsets).map((p) => pairText(p, offsets.get(p)!));
      return segmentOf(encodeName(name), pairs);
    }),
  );
}

/**
 * The positions of a cursor given as `from: { after }`; BAD_USER_INPUT when it is malformed, of
 * another version, or made for another set of streams than `streams` (order does not matter).
 */
export function decodeCursor(cursor: string, streams: readonly string[]): Positions {
  const positions = parseCursor(cursor);
  const wanted = new Set(streams);
  const matches =
    wanted.size === positions.size && [...wanted].every((name) => positions.has(name));
  if (!matches) {
    const list = (names: Iterable<string>) => [...names].sort().join(', ');
    throw gatewayError(
      'BAD_USER_INPUT',
      `the cursor was made for streams [${list(positions.keys())}], not [${list(wanted)}]; resume with the streams it was made for`,
      { argument: 'from.after' },
    );
  }
  return positions;
}

/** The positions of a cursor, whatever its streams; BAD_USER_INPUT when it is malformed. */
export function parseCursor(cursor: string): Positions {
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH)
    throw malformed('it is not a cursor');
  if (!cursor.startsWith(PREFIX)) {
    const version = /^(v\d+)\./.exec(cursor)?.[1];
    throw version === undefined
      ? malformed('it is not a cursor')
      : malformed(`its version ${version} is not supported (this gateway reads ${CURSOR_VERSION})`);
  }
  const parts = cursor.split('.');
  const check = parts.pop()!;
  const segments = parts.slice(1);
  if (check !== foldHashes(segments.map(hashText))) throw malformed('it is damaged or was edited');
  const positions = new Map<string, Map<number, number>>();
  for (const segment of segments) {
    const [name, offsets] = decodeSegment(segment);
    if (positions.has(name)) throw malformed(`it names stream "${name}" twice`);
    positions.set(name, offsets);
  }
  return positions;
}

/**
 * Throws CURSOR_EXPIRED when a position lies before what its partition still retains (the
 * events in between are gone: resuming would lose them silently), and BAD_USER_INPUT when it
 * names a partition the stream does not have or lies beyond its end (a stream deleted and made
 * anew). `watermarks` holds `EventLog.offsets()` of every stream of `positions`.
 */
export function checkCursorRetained(
  positions: Positions,
  watermarks: ReadonlyMap<string, readonly PartitionOffsets[]>,
): void {
  for (const [stream, offsets] of positions) {
    const partitions = watermarks.get(stream);
    if (partitions === undefined)
      throw new Error(`checkCursorRetained: no watermarks for stream "${stream}"`);
    for (const [partition, offset] of offsets) {
      const marks = partitions.find((p) => p.partition === partition);
      if (marks === undefined) {
        throw gatewayError(
          'BAD_USER_INPUT',
          `the cursor names partition ${partition} of stream "${stream}", which has ${partitions.length} partitions`,
          { argument: 'from.after', stream, partition },
        );
      }
      if (offset < marks.low) {
        throw gatewayError(
          'CURSOR_EXPIRED',
          `the cursor points at offset ${offset} of stream "${stream}" partition ${partition}, but the stream retains only offsets from ${marks.low} on; resume from earliest or from a time`,
          { stream, partition, offset, earliestOffset: marks.low },
        );
      }
      if (offset > marks.high) {
        throw gatewayError(
          'BAD_USER_INPUT',
          `the cursor points at offset ${offset} of stream "${stream}" partition ${partition}, beyond its end (${marks.high}); was the stream created anew?`,
          { argument: 'from.after', stream, partition },
        );
      }
    }
  }
}

/**
 * Where a resume of `streams` from `positions` (their cursor, checked with
 * `checkCursorRetained`) starts: at the cursor's offsets, and on partitions added to a stream
 * since the cursor was made, at their beginning. `watermarks` holds `EventLog.offsets()` of
 * every stream.
 */
export function resumeStart(
  streams: readonly string[],
  positions: Positions,
  watermarks: ReadonlyMap<string, readonly PartitionOffsets[]>,
): Map<string, Map<number, number>> {
  return new Map(
    streams.map((s) => {
      const own = new Map(positions.get(s));
      for (const p of watermarks.get(s) ?? [])
        if (!own.has(p.partition)) own.set(p.partition, p.low);
      return [s, own];
    }),
  );
}

/** Keeps a subscription's positions and its cursor, re-encoding only the stream that moved. */
export interface CursorWriter {
  /** Records that `nextOffset` is now the next offset to read on `stream`/`partition`. */
  advance(stream: string, partition: number, nextOffset: number): void;
  /** The cursor of the current positions (cached until the next change). */
  cursor(): string;
  /** A copy of the current positions. */
  positions(): Positions;
}

interface StreamState {
  readonly encodedName: string;
  readonly offsets: Map<number, number>;
  /** Ascending; kept sorted on insert so encoding never sorts. */
  readonly partitions: number[];
  /** `<partition>_<offset>` per partition, in `partitions` order. */
  readonly pairs: string[];
  segment: string | undefined;
  hash: number;
}

export function createCursorWriter(initial: Positions): CursorWriter {
  const states = new Map<string, StreamState>();
  for (const name of [...initial.keys()].sort()) {
    const offsets = new Map(initial.get(name)!);
    const partitions = sortedPartitions(offsets);
    const pairs = partitions.map((p) => pairText(p, offsets.get(p)!));
    states.set(name, {
      encodedName: encodeName(name),
      offsets,
      partitions,
      pairs,
      segment: undefined,
      hash: 0,
    });
  }
  const ordered = [...states.entries()];
  let cached: string | undefined;

  return {
    advance(stream, partition, nextOffset) {
      const state = states.get(stream);
      if (state === undefined)
        throw new Error(`CursorWriter: stream "${stream}" is not one of this cursor's`);
      const previous = state.offsets.get(partition);
      if (previous === nextOffset) return;
      const pair = pairText(partition, nextOffset);
      if (previous === undefined) {
        const at = insertionPoint(state.partitions, partition);
        state.partitions.splice(at, 0, partition);
        state.pairs.splice(at, 0, pair);
      } else {
        state.pairs[state.partitions.indexOf(partition)] = pair;
      }
      state.offsets.set(partition, nextOffset);
      state.segment = undefined;
      cached = undefined;
    },
    cursor() {
      if (cached === undefined) {
        let body = CURSOR_VERSION;
        const hashes: number[] = [];
        for (const [, state] of ordered) {
          if (state.segment === undefined) {
            state.segment = segmentOf(state.encodedName, state.pairs);
            state.hash = hashText(state.segment);
          }
          body += `.${state.segment}`;
          hashes.push(state.hash);
        }
        cached = `${body}.${foldHashes(hashes)}`;
      }
      return cached;
    },
    positions() {
      return new Map(ordered.map(([name, state]) => [name, new Map(state.offsets)]));
    },
  };
}

/** Stream names are few and long-lived; encoding each once keeps base64 off the hot path. */
const encodedNames = new Map<string, string>();
const MAX_ENCODED_NAMES = 10_000;

function encodeName(name: string): string {
  let encoded = encodedNames.get(name);
  if (encoded === undefined) {
    if (encodedNames.size >= MAX_ENCODED_NAMES) encodedNames.clear();
    encoded = Buffer.from(name, 'utf8').toString('base64url');
    encodedNames.set(name, encoded);
  }
  return encoded;
}

function pairText(partition: number, offset: number): string {
  return `${partition.toString(36)}_${offset.toString(36)}`;
}

function segmentOf(encodedName: string, pairs: readonly string[]): string {
  return `${encodedName}~${pairs.join('-')}`;
}

function decodeSegment(segment: string): [string, Map<number, number>] {
  const m = /^([A-Za-z0-9_-]+)~(.*)$/.exec(segment);
  const name = m === null ? '' : Buffer.from(m[1]!, 'base64url').toString('utf8');
  if (m === null || name === '') throw malformed('a stream entry has no name');
  const offsets = new Map<number, number>();
  if (m[2] !== '') {
    for (const pair of m[2]!.split('-')) {
      const numbers = /^([0-9a-z]{1,7})_([0-9a-z]{1,11})$/.exec(pair);
      const partition = numbers === null ? NaN : parseInt(numbers[1]!, 36);
      const offset = numbers === null ? NaN : parseInt(numbers[2]!, 36);
      if (!(partition <= MAX_PARTITION) || !Number.isSafeInteger(offset)) {
        throw malformed(`stream "${name}" has a malformed position`);
      }
      if (offsets.has(partition))
        throw malformed(`stream "${name}" names partition ${partition} twice`);
      offsets.set(partition, offset);
    }
  }
  return [name, offsets];
}

function seal(segments: readonly string[]): string {
  const body = [CURSOR_VERSION, ...segments].join('.');
  return `${body}.${foldHashes(segments.map(hashText))}`;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bit: a few nanoseconds per character, enough to catch accidents. */
function hashText(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash;
}

/** Each step is a bijection, so a change in any one segment's hash always changes the result. */
function foldHashes(hashes: readonly number[]): string {
  let hash = FNV_OFFSET;
  for (const h of hashes) hash = Math.imul(hash ^ h, FNV_PRIME);
  return (hash >>> 0).toString(36);
}

function sortedPartitions(offsets: ReadonlyMap<number, number>): number[] {
  return [...offsets.keys()].sort((a, b) => a - b);
}

function insertionPoint(sorted: readonly number[], value: number): number {
  let i = sorted.length;
  while (i > 0 && sorted[i - 1]! > value) i--;
  return i;
}

function malformed(why: string) {
  return gatewayError('BAD_USER_INPUT', `from.after is not a valid cursor: ${why}`, {
    argument: 'from.after',
  });
}
