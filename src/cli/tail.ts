import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  authorization,
  CliError,
  cliErrorFromGraphql,
  webSocketUrl,
  type GatewayTarget,
} from './gateway-client.js';
import { fit, type Output } from './output.js';

export interface TailOptions {
  readonly streams: readonly string[];
  /** `--type`: exact types or prefixes ending in '*'. */
  readonly types?: readonly string[];
  /** `--where path=value`: the value as JSON when it parses, else as a string. */
  readonly where?: readonly string[];
  /** `--from earliest|latest|<cursor>|<time>`. @default 'latest' */
  readonly from?: string;
  /** Ends the tail (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** First wait before reconnecting; doubles up to 5 s. @default 250 */
  readonly retryDelayMs?: number;
}

/** An event as `tail` selects it. */
export interface TailedEvent {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly resourceId: string | null;
  readonly source: string;
  readonly tenant: string | null;
  readonly time: string;
  readonly schemaVersion: number | null;
  readonly partition: number;
  readonly offset: string;
  readonly cursor: string;
  readonly payload: unknown;
}

const SUBSCRIPTION = `subscription Tail($streams: [String!]!, $filter: EventFilter, $from: StartPosition) {
  events(streams: $streams, filter: $filter, from: $from) {
    id type stream resourceId source tenant time schemaVersion partition offset cursor payload
  }
}`;

/** graphql-ws close codes after which reconnecting cannot help (graphql-ws `CloseCode`). */
const FATAL_CLOSE_CODES = new Map<number, string>([
  [4400, 'the gateway refused a message of this client'],
  [4401, 'the gateway did not accept the connection'],
  [4403, 'the token was refused (unknown, revoked or expired)'],
  [4406, 'the gateway does not speak graphql-transport-ws'],
]);

/** Codes with which a subscription may be tried again: Kafka is unreachable for now. */
const RETRIABLE_CODES = new Set(['UNAVAILABLE']);

/**
 * `streamgate tail`: follows streams over graphql-ws and prints each event. When the connection
 * drops (network, gateway restart or shutdown), it reconnects and resumes right after the last
 * event it printed, with its cursor, so nothing is missed and nothing repeats.
 */
export async function tail(
  target: GatewayTarget,
  options: TailOptions,
  output: Output,
): Promise<void> {
  const auth = authorization(target);
  const filter = eventFilter(options);
  let start = startPosition(options.from ?? 'latest');
  const firstDelay = options.retryDelayMs ?? 250;
  let cursor: string | undefined;
  let failures = 0;

  while (!options.signal?.aborted) {
    const from = cursor === undefined ? start : { after: cursor };
    // A tail from `latest` that drops before its first event resumes from when it first
    // started, not from the new latest, which would skip what was published meanwhile.
    if ('latest' in start) start = { time: new Date().toISOString() };
    const client = createClient({
      url: webSocketUrl(target),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: auth },
      retryAttempts: 0,
      lazy: true,
    });
    if (failures > 0) {
      client.on('connected', () =>
        output.note(
          output.paint(
            'green',
            cursor === undefined
              ? 'reconnected'
              : `reconnected; resuming after ${cursor.slice(0, 12)}…`,
          ),
        ),
      );
    }
    const stop = () => void client.dispose();
    options.signal?.addEventListener('abort', stop, { once: true });
    let problem: unknown;
    try {
      for await (const result of subscribe(client, { streams: options.streams, filter, from })) {
        if (result.errors?.length) throw cliErrorFromGraphql(result.errors);
        const event = result.data?.events;
        if (!event) continue;
        cursor = event.cursor;
        failures = 0;
        printEvent(output, event);
      }
    } catch (error) {
      problem = error;
    } finally {
      options.signal?.removeEventListener('abort', stop);
      void client.dispose();
    }
    if (options.signal?.aborted) return;
    const fatal = fatalError(problem);
    if (fatal) throw fatal;
    failures++;
    const delay = Math.min(5000, firstDelay * 2 ** Math.min(failures - 1, 5));
    // Once per outage; the attempts after it only redraw a progress line on a terminal.
    if (failures === 1) {
      output.note(output.paint('yellow', `connection lost (${describe(problem)}); reconnecting…`));
    }
    output.progress(`reconnecting (attempt ${failures}: ${describe(problem)})`);
    await sleep(delay, options.signal);
  }
}

interface TailResult {
  readonly data?: { events?: TailedEvent } | null;
  readonly errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

function subscribe(client: Client, variables: Record<string, unknown>): AsyncIterable<TailResult> {
  return client.iterate({ query: SUBSCRIPTION, variables }) as AsyncIterable<TailResult>;
}

/** The error to stop on, or undefined when reconnecting may help (or the server completed). */
function fatalError(problem: unknown): CliError | undefined {
  if (problem === undefined) return undefined; // completed: the gateway shut down
  if (problem instanceof CliError) return RETRIABLE_CODES.has(problem.code) ? undefined : problem;
  if (Array.isArray(problem)) {
    const error = cliErrorFromGraphql(problem);
    return RETRIABLE_CODES.has(error.code) ? undefined : error;
  }
  const code = (problem as { code?: unknown }).code;
  if (typeof code === 'number' && FATAL_CLOSE_CODES.has(code)) {
    const reason = (problem as { reason?: string }).reason;
    return new CliError(
      code === 4403 ? 'UNAUTHENTICATED' : 'BAD_USER_INPUT',
      `${FATAL_CLOSE_CODES.get(code)!}${reason ? ` (${reason})` : ''}`,
    );
  }
  return undefined;
}

function describe(problem: unknown): string {
  if (problem === undefined) return 'the gateway ended the subscription';
  if (problem instanceof Error) {
    const cause = (problem as { cause?: { code?: string } }).cause;
    return cause?.code ?? problem.message;
  }
  if (Array.isArray(problem)) return cliErrorFromGraphql(problem).message;
  const { code, reason } = problem as { code?: unknown; reason?: unknown };
  if (typeof code === 'number') return `closed with ${code}${reason ? ` ${String(reason)}` : ''}`;
  const message = (problem as { message?: unknown }).message;
  return typeof message === 'string' ? message : 'network error';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `--from` as a StartPosition: the two words, an RFC 3339 time, else a cursor. */
export function startPosition(from: string): Record<string, unknown> {
  if (from === 'latest') return { latest: true };
  if (from === 'earliest') return { earliest: true };
  if (/^\d{4}-\d{2}-\d{2}T/.test(from)) return { time: from };
  return { after: from };
}

/** The EventFilter of `--type` and `--where`. */
export function eventFilter(
  options: Pick<TailOptions, 'types' | 'where'>,
): Record<string, unknown> | undefined {
  const filter: Record<string, unknown> = {};
  if (options.types?.length) filter['types'] = [...options.types];
  if (options.where?.length) filter['where'] = options.where.map(predicate);
  return Object.keys(filter).length > 0 ? filter : undefined;
}

function predicate(where: string): Record<string, unknown> {
  const at = where.indexOf('=');
  if (at <= 0) {
    throw new CliError('USAGE', `--where takes path=value, e.g. region.name=us; got "${where}"`);
  }
  const raw = where.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: the text itself (region.name=us).
  }
  return { path: where.slice(0, at), eq: value };
}

/** One event: a coloured line on a terminal, the event as JSON when piped. */
function printEvent(output: Output, event: TailedEvent): void {
  if (!output.terminal) return output.json(event);
  const time = event.time.replace(/^\d{4}-\d{2}-\d{2}T/, '').replace(/Z$/, '');
  const head = [
    output.paint('gray', time),
    output.paint(['bold', 'cyan'], event.type),
    output.paint('yellow', event.resourceId ?? '-'),
    ...(event.tenant === null ? [] : [output.paint('magenta', `tenant=${event.tenant}`)]),
    output.paint('gray', `${event.stream}/${event.partition}@${event.offset}`),
  ].join('  ');
  const plainHeadLength = [
    time,
    event.type,
    event.resourceId ?? '-',
    ...(event.tenant === null ? [] : [`tenant=${event.tenant}`]),
    `${event.stream}/${event.partition}@${event.offset}`,
  ].join('  ').length;
  const room = output.columns === undefined ? undefined : output.columns - plainHeadLength - 2;
  const payload = JSON.stringify(event.payload);
  output.line(room !== undefined && room < 10 ? head : `${head}  ${fit(payload, room)}`);
}
