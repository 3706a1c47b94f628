/**
 * What end-to-end tests need on the client side: a subscription to `events` over graphql-ws or
 * graphql-sse that collects what arrives, publishing over GraphQL and POST /events, and the
 * realistic data of schema/platform/*.json.
 */
import { readFileSync } from 'node:fs';
import type { GraphQLFormattedError } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { GatewayProcess } from './gateway-process.js';
import { kafkaBrokers } from './kafka.js';
import { waitFor } from './wait-for.js';

/** The two ways a client subscribes. */
export const TRANSPORTS = ['graphql-ws', 'graphql-sse'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Where the gateway keeps its events in a test: its embedded log, or the run's Kafka broker. */
export interface LogMode {
  readonly name: 'embedded' | 'kafka';
  /** `startGatewayProcess({ brokers })`: undefined runs on the embedded log. */
  brokers(): string[] | undefined;
}
export const LOG_MODES: readonly LogMode[] = [
  { name: 'embedded', brokers: () => undefined },
  { name: 'kafka', brokers: () => kafkaBrokers() },
];

/** Every field of the `Event` interface, plus `__typename`. */
export const EVENT_FIELDS =
  '__typename id type stream resourceType action resourceId source tenant time schemaVersion partition offset cursor payload';

/** An event as a client receives it (`data` only when the selection asks for it). */
export interface ReceivedEvent {
  readonly __typename: string;
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly resourceType: string;
  readonly action: string;
  readonly resourceId: string | null;
  readonly source: string;
  readonly tenant: string | null;
  readonly time: string;
  readonly schemaVersion: number | null;
  readonly partition: number;
  readonly offset: string;
  readonly cursor: string;
  readonly payload: unknown;
  readonly data?: any;
}

export interface EventsArgs {
  readonly streams: readonly string[];
  readonly filter?: Record<string, unknown>;
  readonly from?: Record<string, unknown>;
}

export interface SubscribeOptions extends EventsArgs {
  /** More selections on the event, e.g. `... on AppCreated { data { name } }`. @default '' */
  readonly selection?: string;
  /** @default the gateway's admin token */
  readonly token?: string;
}

/** One open `events` subscription and everything it received. */
export interface EventSubscription {
  readonly transport: Transport;
  /** Events in arrival order. */
  readonly events: readonly ReceivedEvent[];
  /**
   * GraphQL errors the server sent: in a result, as the subscription's error (graphql-ws), or
   * in the body of a refused SSE request.
   */
  readonly errors: readonly GraphQLFormattedError[];
  /** The HTTP status of a refused SSE request. */
  readonly httpStatus: number | undefined;
  /** True once the server completed or ended the subscription. */
  readonly ended: boolean;
  /** Waits until at least `n` events arrived; resolves with the first `n`. */
  collect(n: number, options?: { timeoutMs?: number }): Promise<ReceivedEvent[]>;
  /** Waits until an event passes `test`; resolves with it. */
  waitForEvent(test: (event: ReceivedEvent) => boolean, what?: string): Promise<ReceivedEvent>;
  /** Waits for the first GraphQL error. */
  firstError(options?: { timeoutMs?: number }): Promise<GraphQLFormattedError>;
  close(): void;
}

export function eventsSubscription(selection = ''): string {
  return `subscription Events($streams: [String!]!, $filter: EventFilter, $from: StartPosition) {
  events(streams: $streams, filter: $filter, from: $from) { ${EVENT_FIELDS} ${selection} }
}`;
}

interface Sink {
  next(result: { data?: any; errors?: readonly GraphQLFormattedError[] | undefined }): void;
  error(error: unknown): void;
  complete(): void;
}

const DEFAULT_WAIT_MS = 20_000;

/**
 * Subscribes to `events` over `transport`; the subscription has its own connection. Inside a
 * test it is closed when the test finishes; elsewhere call `close()`.
 */
export function subscribeEvents(
  gateway: GatewayProcess,
  transport: Transport,
  options: SubscribeOptions,
): EventSubscription {
  const events: ReceivedEvent[] = [];
  const errors: GraphQLFormattedError[] = [];
  let httpStatus: number | undefined;
  let ended = false;
  let failure: unknown;
  const sink: Sink = {
    next(result) {
      if (result.errors) errors.push(...result.errors);
      const event = result.data?.events as ReceivedEvent | undefined;
      if (event) events.push(event);
    },
    error(error) {
      if (Array.isArray(error)) {
        // graphql-ws: the operation's GraphQL errors.
        errors.push(...(error as GraphQLFormattedError[]));
        ended = true;
      } else if (
        error instanceof Error &&
        (error as { response?: unknown }).response instanceof Response
      ) {
        // graphql-sse: the gateway refused the request with an HTTP status; its errors are in the body.
        const response = (error as unknown as { response: Response }).response;
        void refusedErrors(response).then(
          (refused) => {
            httpStatus = response.status;
            errors.push(...refused);
            ended = true;
          },
          (unreadable: unknown) => {
            failure = unreadable;
            ended = true;
          },
        );
      } else {
        failure = error; // a socket closed (CloseEvent) or the network failed
        ended = true;
      }
    },
    complete() {
      ended = true;
    },
  };
  const authorization = `Bearer ${options.token ?? gateway.adminToken}`;
  const request = {
    query: eventsSubscription(options.selection),
    variables: { streams: options.streams, filter: options.filter, from: options.from },
  };
  let dispose: () => void;
  if (transport === 'graphql-ws') {
    const client = createWsClient({
      url: gateway.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization },
      retryAttempts: 0,
    });
    const unsubscribe = client.subscribe(request, sink);
    dispose = () => {
      unsubscribe();
      void client.dispose();
    };
  } else {
    const client = createSseClient({
      url: `${gateway.url}/graphql`,
      headers: { authorization },
      retryAttempts: 0,
    });
    const unsubscribe = client.subscribe(request, sink);
    dispose = () => {
      unsubscribe();
      client.dispose();
    };
  }
  try {
    onTestFinished(() => dispose());
  } catch {
    // Opened outside a test (in a hook): the caller closes it.
  }

  /** Waits until `find` finds something; fails at once when the subscription fails. */
  async function settle<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const outcome = await waitFor(
      (): { value: T } | { failed: string } | undefined => {
        if (failure !== undefined) return { failed: describeFailure(failure) };
        const value = find();
        return value === undefined ? undefined : { value };
      },
      { timeoutMs, what: `${what} over ${transport}` },
    );
    if ('failed' in outcome)
      throw new Error(
        `waiting for ${what}, the ${transport} subscription failed: ${outcome.failed}`,
      );
    return outcome.value;
  }

  return {
    transport,
    events,
    errors,
    get httpStatus() {
      return httpStatus;
    },
    get ended() {
      return ended;
    },
    async collect(n, { timeoutMs = DEFAULT_WAIT_MS } = {}) {
      const found = await settle(
        () => (errors.length > 0 ? { errors } : events.length >= n ? { events } : undefined),
        `${n} events`,
        timeoutMs,
      );
      if ('errors' in found)
        throw new Error(`expected ${n} events, got GraphQL errors: ${JSON.stringify(errors)}`);
      return events.slice(0, n);
    },
    waitForEvent: (test, what = 'an event') =>
      settle(() => events.find(test), what, DEFAULT_WAIT_MS),
    firstError: ({ timeoutMs = DEFAULT_WAIT_MS } = {}) =>
      settle(() => errors[0], 'a GraphQL error', timeoutMs),
    close: () => dispose(),
  };
}

/** The GraphQL errors in the body of a refused SSE request: an event stream or a JSON body. */
async function refusedErrors(response: Response): Promise<GraphQLFormattedError[]> {
  const text = await response.text();
  const bodies = text.trimStart().startsWith('{')
    ? [text]
    : text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice('data:'.length).trim())
        .filter(Boolean);
  return bodies.flatMap(
    (body) => (JSON.parse(body) as { errors?: GraphQLFormattedError[] }).errors ?? [],
  );
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  const close = error as { code?: unknown; reason?: unknown };
  if (typeof close?.code === 'number')
    return `the socket closed with ${close.code} ${String(close.reason ?? '')}`;
  return String(error);
}

/**
 * Publishes `publish()` again and again until the subscription receives one of those events,
 * so that what is published after it is certain to reach a subscription that started at
 * `latest` (its start was settled on the server before the first one it received). Resolves
 * with the ids of every event published so, for the test to tell them apart.
 */
export async function untilLive(
  subscription: EventSubscription,
  publish: () => Promise<{ id: string }>,
): Promise<Set<string>> {
  const ids = new Set<string>();
  await waitFor(
    async () => {
      if (subscription.events.some((event) => ids.has(event.id))) return true;
      ids.add((await publish()).id);
      return false;
    },
    {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: `a ${subscription.transport} subscription to go live`,
    },
  );
  return ids;
}

// ---- publishing ---------------------------------------------------------------------------

export const PUBLISH_RESULT_FIELDS = 'id type stream partition offset cursor';

export interface PublishResult {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly partition: number;
  readonly offset: string;
  readonly cursor: string;
}

/** `PublishJsonInput`. */
export interface PublishJsonInput {
  readonly type: string;
  readonly data: unknown;
  readonly resourceId?: string;
  readonly tenant?: string;
  readonly id?: string;
  readonly time?: string;
  readonly source?: string;
}

/** A GraphQL operation that must succeed: resolves with its data, throws with its errors. */
export async function graphqlOk<T = any>(
  gateway: GatewayProcess,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const body = await gateway.graphql<T>(query, variables, token);
  if (body.errors?.length || body.data === undefined) {
    throw new Error(`GraphQL errors: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

export async function publishJson(
  gateway: GatewayProcess,
  event: PublishJsonInput,
  token?: string,
): Promise<PublishResult> {
  const data = await graphqlOk<{ publishJson: PublishResult }>(
    gateway,
    `mutation($event: PublishJsonInput!) { publishJson(event: $event) { ${PUBLISH_RESULT_FIELDS} } }`,
    { event },
    token,
  );
  return data.publishJson;
}

export async function publishBatch(
  gateway: GatewayProcess,
  events: readonly PublishJsonInput[],
  token?: string,
): Promise<PublishResult[]> {
  const data = await graphqlOk<{ publishBatch: PublishResult[] }>(
    gateway,
    `mutation($events: [PublishJsonInput!]!) { publishBatch(events: $events) { ${PUBLISH_RESULT_FIELDS} } }`,
    { events },
    token,
  );
  return data.publishBatch;
}

/** POST /events; `body` is sent as JSON unless it is a string. */
export async function postEvents(
  gateway: GatewayProcess,
  body: unknown,
  headers: Record<string, string>,
  token: string | null = gateway.adminToken,
): Promise<{ status: number; contentType: string | null; headers: Headers; body: any }> {
  const response = await fetch(`${gateway.url}/events`, {
    method: 'POST',
    headers: { ...headers, ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/**
 * Creates a stream and registers event types on it, each with the JSON Schema of a platform
 * type (`schemaOf`), so a test owns everything its stream holds.
 */
export async function createStreamWithTypes(
  gateway: GatewayProcess,
  stream: { name: string; partitions: number },
  types: Readonly<Record<string, string>>,
): Promise<void> {
  await graphqlOk(
    gateway,
    'mutation($input: CreateStreamInput!) { createStream(input: $input) { name } }',
    {
      input: stream,
    },
  );
  for (const [type, platformType] of Object.entries(types)) {
    await graphqlOk(
      gateway,
      'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type version } }',
      { input: { type, stream: stream.name, schema: platformSchema(platformType) } },
    );
  }
}

// ---- platform data ------------------------------------------------------------------------

const schemaDir = new URL('../../schema/platform/', import.meta.url);

/** The JSON Schema of a platform type (schema/platform/<type>.json). */
export function platformSchema(type: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`${type}.json`, schemaDir), 'utf8')) as Record<
    string,
    any
  >;
}

/** A fresh copy of the realistic example of a platform type, with `changes` merged on top. */
export function platformExample(
  type: string,
  changes: Record<string, unknown> = {},
): Record<string, any> {
  const [example] = platformSchema(type)['examples'] as Record<string, any>[];
  if (!example) throw new Error(`schema/platform/${type}.json has no example`);
  return { ...structuredClone(example), ...changes };
}

// ---- knowing that nothing more will arrive -------------------------------------------------

/**
 * Publishes copies of `event` with resource ids of their own until every one of the stream's
 * `partitions` holds one (keys spread by murmur2), and resolves with their ids. Once a
 * subscription received all of them, it has been handed everything written before them on
 * every partition: what it has not received by then, it never will.
 */
export async function publishEndMarkers(
  gateway: GatewayProcess,
  event: PublishJsonInput,
  partitions: number,
): Promise<Set<string>> {
  const run = Math.random().toString(36).slice(2, 10);
  const ids = new Set<string>();
  const covered = new Set<number>();
  for (let i = 0; covered.size < partitions; i++) {
    if (i >= partitions * 50)
      throw new Error(`end markers reached ${covered.size} of ${partitions} partitions`);
    const result = await publishJson(gateway, {
      ...event,
      id: `end-${run}-${i}`,
      resourceId: `end-${run}-${i}`,
    });
    // A marker on a partition already covered is delivered all the same: it is one to drop too.
    ids.add(result.id);
    covered.add(result.partition);
  }
  return ids;
}

/** Waits until `subscription` received every marker; resolves with the other events it received. */
export async function eventsBeforeMarkers(
  subscription: EventSubscription,
  markers: ReadonlySet<string>,
): Promise<ReceivedEvent[]> {
  await subscription.waitForEvent(
    () => [...markers].every((id) => subscription.events.some((event) => event.id === id)),
    `all ${markers.size} end markers`,
  );
  return subscription.events.filter((event) => !markers.has(event.id));
}

/** Throws unless the events of each partition came in strictly increasing offsets (no repeat). */
export function assertLogOrder(events: readonly ReceivedEvent[]): void {
  const last = new Map<string, number>();
  for (const event of events) {
    const key = `${event.stream}/${event.partition}`;
    const offset = Number(event.offset);
    const before = last.get(key);
    if (before !== undefined && offset <= before) {
      throw new Error(`${key}: offset ${offset} arrived after ${before} (event ${event.id})`);
    }
    last.set(key, offset);
  }
}

/**
 * Publishes an `app.destroyed` event on `resourceId`: a fence whose cursor a test subscribes
 * after, so that it sees exactly what it publishes next.
 */
export function publishFence(gateway: GatewayProcess, resourceId: string): Promise<PublishResult> {
  return publishJson(gateway, {
    type: 'app.destroyed',
    data: platformExample('app.destroyed'),
    resourceId,
  });
}

/** A subscription to the platform events of `resourceId` right after the fence `after`. */
export function watchAfter(
  gateway: GatewayProcess,
  transport: Transport,
  resourceId: string,
  after: PublishResult,
  selection: string,
): EventSubscription {
  return subscribeEvents(gateway, transport, {
    streams: ['platform'],
    filter: { resourceIds: [resourceId] },
    from: { after: after.cursor },
    selection,
  });
}
