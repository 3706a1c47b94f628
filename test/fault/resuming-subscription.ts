/**
 * A subscriber that behaves as a well-written client: whenever its subscription ends (completed
 * by a shutting-down gateway, ended with an error, or its connection lost) it subscribes again
 * `after` the cursor of the last event it received, on whichever gateway `target()` names then.
 * It records every event and how each run of the subscription ended.
 */
import type { GraphQLFormattedError } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { eventsSubscription, type ReceivedEvent, type Transport } from '../support/clients.js';
import { waitFor } from '../support/wait-for.js';

/** Where to subscribe now: a gateway's base URL and WebSocket URL. */
export interface SubscribeTarget {
  readonly url: string;
  readonly wsUrl: string;
  readonly token: string;
}

/** How one run of the subscription ended. */
export type RunEnd =
  | { readonly kind: 'complete' }
  | { readonly kind: 'errors'; readonly errors: readonly GraphQLFormattedError[] }
  | { readonly kind: 'closed'; readonly detail: string };

export interface ResumingSubscription {
  readonly transport: Transport;
  /** Every event received, over all runs, in arrival order. */
  readonly events: readonly ReceivedEvent[];
  /** How each finished run ended, in order. */
  readonly ends: readonly RunEnd[];
  /** Runs started (1 + resumptions). */
  readonly runs: number;
  /** What the current run got so far: `connected` (graphql-ws acknowledged), `events`. */
  readonly progress: string;
  /** Waits until every id of `ids` was received. */
  waitForIds(ids: Iterable<string>, options?: { timeoutMs?: number }): Promise<void>;
  /** Stops resuming and closes the current run. */
  close(): void;
}

export interface ResumingSubscriptionOptions {
  readonly transport: Transport;
  /** Called at each (re)start: the gateway to use now. */
  readonly target: () => SubscribeTarget;
  readonly streams: readonly string[];
  readonly filter?: Record<string, unknown>;
  /** The first run's start; later runs start after the last cursor received. */
  readonly from?: Record<string, unknown>;
  /** Pause before resuming, so a gateway that is down is not hammered. @default 200 */
  readonly resumeDelayMs?: number;
}

export function resumingSubscription(options: ResumingSubscriptionOptions): ResumingSubscription {
  const events: ReceivedEvent[] = [];
  const ends: RunEnd[] = [];
  let runs = 0;
  let progress = 'not started';
  let closed = false;
  let disposeRun: (() => void) | undefined;
  let resumeTimer: NodeJS.Timeout | undefined;

  function start(): void {
    if (closed) return;
    runs++;
    progress = 'subscribing';
    const target = options.target();
    const last = events[events.length - 1];
    const request = {
      query: eventsSubscription(),
      variables: {
        streams: options.streams,
        filter: options.filter,
        from: last ? { after: last.cursor } : options.from,
      },
    };
    let finished = false;
    const finish = (end: RunEnd) => {
      if (finished) return;
      finished = true;
      ends.push(end);
      disposeRun?.();
      disposeRun = undefined;
      if (!closed) resumeTimer = setTimeout(start, options.resumeDelayMs ?? 200);
    };
    const sink = {
      next(result: { data?: any; errors?: readonly GraphQLFormattedError[] }) {
        if (result.errors?.length) return finish({ kind: 'errors', errors: result.errors });
        const event = result.data?.events as ReceivedEvent | undefined;
        if (event) events.push(event);
        progress = 'events';
      },
      error(error: unknown) {
        if (Array.isArray(error))
          finish({ kind: 'errors', errors: error as GraphQLFormattedError[] });
        else finish({ kind: 'closed', detail: describe(error) });
      },
      complete() {
        finish({ kind: 'complete' });
      },
    };
    const authorization = `Bearer ${target.token}`;
    if (options.transport === 'graphql-ws') {
      const client = createWsClient({
        url: target.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization },
        retryAttempts: 0,
        // A socket closed by the server ends the run: graphql-ws reports it as an error.
        shouldRetry: () => false,
        on: {
          connected: () => (progress = 'connected'),
          closed: (event) => finish({ kind: 'closed', detail: describe(event) }),
        },
      });
      const unsubscribe = client.subscribe(request, sink);
      disposeRun = () => {
        unsubscribe();
        void client.dispose();
      };
    } else {
      const client = createSseClient({
        url: `${target.url}/graphql`,
        headers: { authorization },
        retryAttempts: 0,
      });
      const unsubscribe = client.subscribe(request, sink);
      disposeRun = () => {
        unsubscribe();
        client.dispose();
      };
    }
  }

  start();
  return {
    transport: options.transport,
    events,
    ends,
    get runs() {
      return runs;
    },
    get progress() {
      return progress;
    },
    async waitForIds(ids, { timeoutMs = 60_000 } = {}) {
      const wanted = new Set(ids);
      try {
        await waitFor(
          () => {
            for (const event of events) wanted.delete(event.id);
            return wanted.size === 0;
          },
          { timeoutMs, intervalMs: 100, what: `${options.transport} to receive every event` },
        );
      } catch (error) {
        // Said at the timeout, not when the wait began: what is still missing, and how it went.
        const last = events[events.length - 1];
        throw new Error(
          `${(error as Error).message}: ${wanted.size} of them missing (${[...wanted].slice(0, 5).join(', ')}…); ` +
            `${events.length} received, the last at ${last?.partition}/${last?.offset}; runs ${runs}, ` +
            `current run ${progress}, ends ${JSON.stringify(ends.slice(-3))}`,
          { cause: error },
        );
      }
    },
    close() {
      closed = true;
      clearTimeout(resumeTimer);
      disposeRun?.();
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const close = error as { code?: number; reason?: string };
  if (typeof close?.code === 'number')
    return `socket closed with ${close.code} ${close.reason ?? ''}`.trim();
  return String(error);
}
