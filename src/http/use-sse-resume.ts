import type { Plugin } from 'graphql-yoga';
import { recordingResultPositions } from '../graphql/result-positions.js';
import { processSseResult } from './sse-processor.js';

/**
 * Subscriptions over SSE that resume as browsers do: each `next` carries `id: <cursor>`, and a
 * request with `Last-Event-ID` goes on right after that event (the context carries it to the
 * subscription, which then ignores `from`). Registered after the plugin that replaces the
 * subscribe step (use-shared-execution.ts), so it records the results that step makes.
 */
export function useSseResume(): Plugin {
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      // Only SSE reads the positions of results: graphql-ws subscriptions go without the layer.
      const { request } = args.contextValue as { request?: Request };
      if (!request || !acceptsEventStream(request)) return;
      setSubscribeFn(recordingResultPositions(subscribeFn as never) as never);
    },
    onResultProcess({ request, setResultProcessor }) {
      if (!acceptsEventStream(request)) return;
      setResultProcessor(processSseResult as never, 'text/event-stream');
    },
  };
}

function acceptsEventStream(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes('text/event-stream');
}

/** The `Last-Event-ID` of an SSE request, if any: a cursor. */
export function lastEventIdOf(request: Request | undefined): string | undefined {
  if (!request || !acceptsEventStream(request)) return undefined;
  const id = request.headers.get('last-event-id');
  return id ? id : undefined;
}
