import type { ExecutionResult } from 'graphql';
import { cursorOf } from '../graphql/event-types.js';
import { resultPositions } from '../graphql/result-positions.js';

/** A comment line now and then keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 12_000;

type FetchApi = { ReadableStream: typeof ReadableStream; Response: typeof Response };

/**
 * GraphQL over SSE ("distinct connections" mode, as graphql-sse clients and Yoga speak it),
 * with two differences from Yoga's own processor:
 *
 * - every `next` message carries `id: <cursor>` when its result came from a subscription's
 *   event, so a client that reconnects with `Last-Event-ID` (a browser's EventSource does so by
 *   itself) goes on right after it;
 * - the answer is always `200 text/event-stream`, an operation refused before it started
 *   included: its errors come as a `next` message and the stream completes. graphql-sse then
 *   hands the client the GraphQL error with its code, where a 401 or 403 reaches it as a
 *   network error that tells nothing.
 */
export function processSseResult(result: unknown, fetchApi: FetchApi): Response {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<unknown> | Iterator<unknown>;
  let keepAlive: NodeJS.Timeout | undefined;
  const stream = new fetchApi.ReadableStream<Uint8Array>({
    start(controller) {
      // Some browsers hold a response back until its first bytes arrive.
      controller.enqueue(encoder.encode(':\n\n'));
      keepAlive = setInterval(() => {
        if (controller.desiredSize === null) clearInterval(keepAlive);
        else if (controller.desiredSize > 0) controller.enqueue(encoder.encode(':\n\n'));
      }, KEEP_ALIVE_MS);
      iterator = isAsyncIterable(result)
        ? result[Symbol.asyncIterator]()
        : [result][Symbol.iterator]();
    },
    async pull(controller) {
      try {
        const step = await iterator.next();
        if (!step.done && step.value != null)
          controller.enqueue(encoder.encode(message(step.value)));
        if (step.done) {
          controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
          clearInterval(keepAlive);
          controller.close();
        }
      } catch (error) {
        clearInterval(keepAlive);
        controller.error(error);
      }
    },
    async cancel(reason) {
      clearInterval(keepAlive);
      await iterator.return?.(reason);
    },
  });
  return new fetchApi.Response(stream, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream',
      Connection: 'keep-alive',
      'Cache-Control': 'no-cache',
      'Content-Encoding': 'none',
    },
  });
}

function message(value: unknown): string {
  const positions = typeof value === 'object' ? resultPositions(value as object) : undefined;
  const id = positions ? `id: ${cursorOf(positions)}\n` : '';
  return `${id}event: next\ndata: ${JSON.stringify(withoutInternals(value as ExecutionResult))}\n\n`;
}

/** What a client may see of a result: data, errors and extensions (no internal fields). */
function withoutInternals(result: ExecutionResult): ExecutionResult {
  const { data, errors, extensions } = result;
  return {
    ...(errors ? { errors } : {}),
    ...(data !== undefined ? { data } : {}),
    ...(extensions ? { extensions } : {}),
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}
