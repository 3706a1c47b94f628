import type { Client as SseClient } from 'graphql-sse';
import type { Client as WsClient } from 'graphql-ws';

/** What one subscription (or one idle socket) did, as its client saw it. */
export interface Probe {
  /** The `events` field of every result that had one. */
  readonly events: any[];
  /** `extensions.code` of every GraphQL error the client received, in order. */
  readonly errorCodes: string[];
  /** True once the subscription completed or failed. */
  readonly ended: boolean;
  /** The WebSocket close code, once the socket closed. */
  readonly closeCode: number | undefined;
  readonly closeReason: string | undefined;
  /** A failure that was neither GraphQL errors nor a close (a network error). */
  readonly failure: unknown;
  /**
   * The HTTP status when an SSE subscription was refused with one: graphql-sse clients then see
   * a NetworkError, and the GraphQL errors (whose codes go to `errorCodes`) are in its body.
   */
  readonly httpStatus: number | undefined;
  /** True once a graphql-ws socket was acknowledged (connection_ack). */
  readonly connected: boolean;
  /** `Date.now()` when the first GraphQL error arrived, and when the socket closed. */
  readonly errorAt: number | undefined;
  readonly closedAt: number | undefined;
  dispose(): void;
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    typeof (value as { code: unknown }).code === 'number'
  );
}

/**
 * Subscribes with `query` (null: only connect, non-lazy clients) and records what arrives.
 * Works with graphql-ws and graphql-sse clients alike.
 */
export function collect(
  client: WsClient | SseClient,
  query: string | null,
  variables: Record<string, unknown> = {},
): Probe {
  const probe = {
    events: [] as any[],
    errorCodes: [] as string[],
    ended: false,
    closeCode: undefined as number | undefined,
    closeReason: undefined as string | undefined,
    failure: undefined as unknown,
    httpStatus: undefined as number | undefined,
    connected: false,
    errorAt: undefined as number | undefined,
    closedAt: undefined as number | undefined,
    dispose: () => void client.dispose(),
  };
  const onClose = (event: unknown) => {
    if (isCloseEvent(event) && probe.closeCode === undefined) {
      probe.closedAt = Date.now();
      probe.closeCode = event.code;
      probe.closeReason = event.reason;
    }
  };
  if ('on' in client) {
    client.on('closed', onClose);
    client.on('connected', () => (probe.connected = true));
  }
  if (query === null) {
    // A non-lazy graphql-ws client connects by itself; nothing to subscribe.
    return probe;
  }
  const codes = (list: string[]) => {
    probe.errorAt ??= Date.now();
    probe.errorCodes.push(...list);
  };
  client.subscribe(
    { query, variables },
    {
      next(result: {
        data?: any;
        errors?: readonly { extensions?: Record<string, unknown> }[] | null;
      }) {
        if (result.data?.events) probe.events.push(result.data.events);
        if (result.errors?.length)
          codes(result.errors.map((error) => String(error.extensions?.['code'])));
      },
      error(error: unknown) {
        probe.ended = true;
        if (Array.isArray(error)) {
          codes(error.map((item) => String(item?.extensions?.code)));
        } else if (isCloseEvent(error)) {
          onClose(error);
        } else if (
          error instanceof Error &&
          'response' in error &&
          error.response instanceof Response
        ) {
          probe.ended = false; // until the body is read
          void readRefusal(error.response).then(({ status, codes: refused }) => {
            probe.httpStatus = status;
            codes(refused);
            probe.ended = true;
          });
        } else {
          probe.failure = error;
        }
      },
      complete() {
        probe.ended = true;
      },
    },
  );
  return probe;
}

/** The status and GraphQL error codes of a refused SSE request (an event stream or JSON body). */
async function readRefusal(response: Response): Promise<{ status: number; codes: string[] }> {
  const text = await response.text();
  const bodies = text.trimStart().startsWith('{')
    ? [text]
    : text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .filter(Boolean);
  const codes: string[] = [];
  for (const body of bodies) {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    for (const error of parsed.errors ?? []) codes.push(String(error.extensions?.code));
  }
  return { status: response.status, codes };
}
