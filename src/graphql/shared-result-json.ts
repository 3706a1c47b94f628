import { randomBytes } from 'node:crypto';
import type { ExecutionResult } from 'graphql';

/**
 * Serialize once per group: a result shared by many subscribers is turned into JSON once, and
 * every socket that sends it splices that text into its own message instead of stringifying
 * the result again.
 *
 * graphql-ws builds each `next` message as `{"id":…,"type":"next","payload":…}` and stringifies
 * it right before handing it to the socket, in one synchronous step. So the payload it is given
 * is a stand-in whose JSON is a marker string; while being stringified the stand-in leaves its
 * text in `pending`, and the socket's send (`spliceSharedPayload`) swaps the marker, which is
 * always the message's last value, for that text.
 */

const serialized = new WeakMap<ExecutionResult, string>();

/** The result's JSON, computed once per result object. */
export function serializedResult(result: ExecutionResult): string {
  let json = serialized.get(result);
  if (json === undefined) serialized.set(result, (json = JSON.stringify(result)));
  return json;
}

// Random per process, so no client text can be taken for it.
const MARKER = `streamgate-shared-payload-${randomBytes(12).toString('hex')}`;
const MARKED_ENDING = `${JSON.stringify(MARKER)}}`;

let pending: string | undefined;

class SharedPayload {
  constructor(private readonly json: string) {}

  toJSON(): string {
    pending = this.json;
    return MARKER;
  }
}

/**
 * What to give graphql-ws as the payload of `result` (its `onNext` hook): a stand-in when the
 * result was serialized for a group and carries no errors (errors are masked per subscriber, into
 * a new result object, and graphql-ws orders their keys its own way), else undefined.
 */
export function sharedPayloadOf(result: ExecutionResult): object | undefined {
  if (result.errors !== undefined) return undefined;
  const json = serialized.get(result);
  return json === undefined ? undefined : new SharedPayload(json);
}

/** The message a socket really sends: `data` with a shared payload spliced in, if it has one. */
export function spliceSharedPayload(data: string): string {
  const json = pending;
  if (json === undefined) return data;
  pending = undefined;
  if (!data.endsWith(MARKED_ENDING)) return data;
  return `${data.slice(0, data.length - MARKED_ENDING.length)}${json}}`;
}
