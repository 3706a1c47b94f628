import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { FormattedExecutionResult } from 'graphql-ws';
import type { Plugin } from 'graphql-yoga';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { GatewayContext } from '../graphql/context.js';
import type { SharedExecutions } from '../graphql/shared-execution.js';
import { describeSharedOperation } from '../graphql/shared-operation.js';
import { sharedPayloadOf, spliceSharedPayload } from '../graphql/shared-result-json.js';

/**
 * Execute once per group, for HTTP, SSE and WebSocket alike: a subscription that can share
 * (same schema, document, variables, operation name and authorization scope) is executed as a
 * member of its group, which executes an event the fan-out delivers to its members in step with
 * the live tail once for all of them. Everything before (parsing, validation, authentication)
 * and after (error masking) still runs per subscriber. Registered before any plugin that wraps
 * the subscribe step (use-sse-resume.ts), so they wrap the members' results as any others.
 */
export function useSharedExecution(executions: SharedExecutions): Plugin {
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const { principal } = args.contextValue as Partial<GatewayContext>;
      if (!principal) return;
      let operation = describeSharedOperation(args, principal);
      if (!operation) return;
      // Inline, so that tsx's keepNames adds no property table to it; it lives as long as the
      // subscription and runs once, so it lets go of the operation (and its long key) then.
      setSubscribeFn(((subscribeArgs: ExecutionArgs) => {
        const described = operation ?? describeSharedOperation(subscribeArgs, principal)!;
        operation = undefined;
        return executions.subscribe(described, subscribeArgs);
      }) as unknown as Parameters<typeof setSubscribeFn>[0]);
    },
  };
}

/**
 * Serialize once per group, over graphql-ws: its `onNext` hook. A result a group serialized is
 * handed on as a stand-in that `FanoutSocket` replaces with the group's JSON.
 */
export function sharedPayloadOnNext(
  _context: unknown,
  _id: string,
  _payload: unknown,
  _args: unknown,
  result: ExecutionResult,
): FormattedExecutionResult | undefined {
  return sharedPayloadOf(result) as FormattedExecutionResult | undefined;
}

/**
 * Bytes a socket may hold unsent before a send waits for the kernel again. Below it a send is
 * taken as done at once, so graphql-ws hands over every result a subscriber has queued in one
 * go; above it sends wait for their writes, and a slow client's events queue up in its fan-out
 * subscription until it falls behind and reads at its own pace (src/fanout/subscriber.ts).
 */
const EARLY_SEND_BYTES = 256 * 1024;

/**
 * The server's socket class (`WebSocketServer({ WebSocket })`). It sends a result shared by a
 * group as the group's one JSON text, and writes what it is given within one turn of the event
 * loop in one system call: graphql-ws awaits each send before the next, so without this a
 * subscriber that is behind by many results costs one write each.
 */
export class FanoutSocket extends WebSocket {
  /**
   * The connection under the WebSocket: its upgrade request's socket, set by the server on
   * `connection` (attachGraphqlWs). Until then sends are not coalesced.
   */
  connection: Socket | undefined;
  /** Ends the socket's turn among the handshakes under way (handshake-gate.ts); idempotent. */
  handshakeDone: (() => void) | undefined;

  // The overloads of ws's send, taken as they come.
  override send(data: any, options?: any, callback?: any): void {
    if (typeof options === 'function') {
      callback = options;
      options = {};
    }
    const text = typeof data === 'string' ? spliceSharedPayload(data) : data;
    const socket = this.connection;
    if (
      !callback ||
      !socket ||
      this.readyState !== WebSocket.OPEN ||
      this.bufferedAmount > EARLY_SEND_BYTES
    ) {
      super.send(text, options ?? {}, callback);
      return;
    }
    if (!corked.has(socket)) {
      socket.cork();
      corked.add(socket);
      if (corked.size === 1) {
        corkedSince = performance.now();
        setImmediate(uncorkAll);
      }
    }
    // A failed write closes the socket, which ends its subscriptions; nothing waits on it here.
    super.send(text, options ?? {});
    process.nextTick(callback);
  }
}

/** Sockets holding writes until the end of this turn of the event loop. */
const corked = new Set<Socket>();
/** When the first of `corked` was corked (performance.now()). */
let corkedSince = 0;

/**
 * The longest a write is held back once other I/O comes in. A turn of the event loop can last
 * seconds when thousands of sockets have data at once (libuv serves up to 48 × 1024 ready
 * sockets before it gets to setImmediate callbacks): in a reconnect storm every connection_ack
 * and first event would wait for the whole storm's handshakes.
 */
const MAX_CORK_MS = 5;

/**
 * Called as other I/O comes in (a message or an upgrade): flushes the writes held for more than
 * MAX_CORK_MS. Not on every send: a burst of events to thousands of subscribers runs in one task
 * without I/O in between, and must go out with one write per socket at the end of its turn.
 */
export function flushHeldWrites(): void {
  if (corked.size > 0 && performance.now() - corkedSince > MAX_CORK_MS) uncorkAll();
}

function uncorkAll(): void {
  const sockets = [...corked];
  corked.clear();
  for (const socket of sockets) socket.uncork();
}
