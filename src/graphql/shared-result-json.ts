import { randomBytes } from 'node:crypto';
import type { ExecutionResult } from 'graphql';

/**
 * Serialize once per group: a result that a group's members share (shared-execution.ts) is
 * turned into JSON once, and every socket that sends it puts that text into its own message
 * instead of stringifying the result again.
 *
 * graphql-ws lets its `onNext` hook give the payload to send. The payload given is a stand-in
 * whose JSON (`toJSON`, called while graphql-ws stringifies the message, right before it hands
 * the text to the socket) is a marker string, and which leaves the result's text in `pending`.
 * The socket's send (`spliceSharedPayload`) then puts that text where the quoted marker is,
 * wherever graphql-ws placed the payload in its message.
 */

const shared = new WeakSet<ExecutionResult>();
const serialized = new WeakMap<ExecutionResult, string>();

/** Marks `result` as shared by the members of a group: its JSON is made once. */
export function markShared(result: ExecutionResult): ExecutionResult {
  shared.add(result);
  return result;
}

/** The result's JSON, computed once per result object. */
export function serializedResult(result: ExecutionResult): string {
  let json = serialized.get(result);
  if (json === undefined) serialized.set(result, (json = JSON.stringify(result)));
  return json;
}

// Random per process, so no client text can be taken for it; its JSON is itself in quotes.
const MARKER = `streamgate-shared-payload-${randomBytes(12).toString('hex')}`;
const QUOTED_MARKER = JSON.stringify(MARKER);

let pending: string | undefined;

class SharedPayload {
  constructor(private readonly result: ExecutionResult) {}

  toJSON(): string {
    pending = serializedResult(this.result);
    return MARKER;
  }
}

/**
 * What to give graphql-ws as the payload of `result` (its `onNext` hook): a stand-in when the
 * result is shared by a group and carries no errors (errors are masked per subscriber, into a
 * new result object), else undefined.
 */
export function sharedPayloadOf(result: ExecutionResult): object | undefined {
  if (result.errors !== undefined || !shared.has(result)) return undefined;
  return new SharedPayload(result);
}

/** The message a socket really sends: `data` with a shared payload put in, if it has one. */
export function spliceSharedPayload(data: string): string {
  const json = pending;
  if (json === undefined) return data;
  pending = undefined;
  const at = data.indexOf(QUOTED_MARKER);
  if (at < 0) return data;
  return `${data.slice(0, at)}${json}${data.slice(at + QUOTED_MARKER.length)}`;
}
