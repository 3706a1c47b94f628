import { fstatSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { CliError, graphqlRequest, type GatewayTarget } from './gateway-client.js';
import type { Output } from './output.js';

/** The envelope options of `streamgate publish`; each event of NDJSON input gets them too. */
export interface PublishOptions {
  readonly resourceId?: string;
  readonly tenant?: string;
  readonly source?: string;
  readonly id?: string;
  readonly time?: string;
  /** NDJSON lines are whole events (`{ data, resourceId?, id?, … }`) rather than data. */
  readonly events?: boolean;
  /** Events per `publishBatch` request. @default 100 */
  readonly batchSize?: number;
}

interface PublishResult {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly partition: number;
  readonly offset: string;
  readonly cursor: string;
}

const RESULT_FIELDS = 'id type stream partition offset cursor';
const PUBLISH_ONE = `mutation Publish($event: PublishJsonInput!) { publishJson(event: $event) { ${RESULT_FIELDS} } }`;
const PUBLISH_BATCH = `mutation PublishBatch($events: [PublishJsonInput!]!) { publishBatch(events: $events) { ${RESULT_FIELDS} } }`;

/** Bytes of data per batch request, well under the gateway's default 5 MiB batch limit. */
const MAX_BATCH_BYTES = 1 << 20;

/** `streamgate publish <type> <json>`: one event. */
export async function publishOne(
  target: GatewayTarget,
  type: string,
  json: string,
  options: PublishOptions,
  output: Output,
): Promise<void> {
  const data = parseJson(json, 'the event data');
  const result = await graphqlRequest<{ publishJson: PublishResult }>(target, PUBLISH_ONE, {
    event: envelope(type, data, options),
  });
  const published = result.publishJson;
  if (!output.terminal) return output.json(published);
  output.line(
    `${output.paint('green', 'published')} ${output.paint(['bold', 'cyan'], published.type)} ` +
      `${published.id} ${output.paint('gray', `→ ${published.stream}/${published.partition}@${published.offset}`)}`,
  );
  output.line(output.paint('gray', `cursor ${published.cursor}`));
}

/**
 * `streamgate publish <type> -`: one event per line of NDJSON on `input`, published in order in
 * batches (each all or nothing). Progress goes to stderr on a terminal; piped, each event's
 * PublishResult is a JSON line on stdout. A bad line stops it, saying which, after publishing
 * the lines before its batch.
 */
export async function publishStream(
  target: GatewayTarget,
  type: string,
  input: Readable & { fd?: number },
  options: PublishOptions,
  output: Output,
): Promise<void> {
  const batchSize = options.batchSize ?? 100;
  const totalBytes = inputSize(input);
  const started = performance.now();
  let bytesRead = 0;
  let published = 0;
  let lineNumber = 0;
  let batch: { line: number; event: Record<string, unknown> }[] = [];
  let batchBytes = 0;

  const report = () => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(published / seconds) : 0;
    const share = totalBytes ? ` · ${Math.floor((100 * bytesRead) / totalBytes)}%` : '';
    output.progress(
      `published ${published.toLocaleString('en')} events${share} · ${rate.toLocaleString('en')}/s`,
    );
  };

  const flush = async () => {
    if (batch.length === 0) return;
    const lines = batch;
    batch = [];
    batchBytes = 0;
    let results: PublishResult[];
    try {
      results = (
        await graphqlRequest<{ publishBatch: PublishResult[] }>(target, PUBLISH_BATCH, {
          events: lines.map((l) => l.event),
        })
      ).publishBatch;
    } catch (error) {
      throw atLines(error, lines, published);
    }
    published += results.length;
    if (!output.terminal) for (const result of results) output.json(result);
    report();
  };

  const reader = createInterface({ input, crlfDelay: Infinity });
  for await (const text of reader) {
    lineNumber++;
    bytesRead += Buffer.byteLength(text) + 1;
    if (text.trim() === '') continue;
    const value = parseJson(text, `line ${lineNumber}`);
    const event = options.events
      ? eventOfLine(type, value, lineNumber, options)
      : envelope(type, value, options);
    batch.push({ line: lineNumber, event });
    batchBytes += text.length;
    if (batch.length >= batchSize || batchBytes >= MAX_BATCH_BYTES) await flush();
  }
  await flush();
  output.progress(undefined);
  const seconds = (performance.now() - started) / 1000;
  const summary = `published ${published.toLocaleString('en')} events of ${type} in ${seconds.toFixed(1)} s`;
  if (output.terminal) output.line(output.paint('green', summary));
  else if (output.stderrTerminal) output.note(summary);
}

function envelope(type: string, data: unknown, options: PublishOptions): Record<string, unknown> {
  return {
    type,
    data,
    ...(options.resourceId === undefined ? {} : { resourceId: options.resourceId }),
    ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.id === undefined ? {} : { id: options.id }),
    ...(options.time === undefined ? {} : { time: options.time }),
  };
}

const EVENT_FIELDS = new Set(['type', 'data', 'resourceId', 'tenant', 'id', 'time', 'source']);

/** A line of `--events` input: the options fill in what the line leaves out. */
function eventOfLine(
  type: string,
  value: unknown,
  line: number,
  options: PublishOptions,
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('data' in value)) {
    throw new CliError(
      'BAD_USER_INPUT',
      `line ${line}: with --events, each line is an object with "data"`,
    );
  }
  const unknown = Object.keys(value).filter((key) => !EVENT_FIELDS.has(key));
  if (unknown.length > 0) {
    throw new CliError(
      'BAD_USER_INPUT',
      `line ${line}: unknown field ${unknown.join(', ')} (an event has ${[...EVENT_FIELDS].join(', ')})`,
    );
  }
  const { id: _id, ...shared } = options;
  return { ...envelope(type, undefined, shared), ...value };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError('BAD_USER_INPUT', `${what} is not JSON: ${(error as Error).message}`);
  }
}

/** The error of a batch, naming the input line of the event it is about. */
function atLines(
  error: unknown,
  lines: readonly { line: number }[],
  publishedBefore: number,
): unknown {
  if (!(error instanceof CliError)) return error;
  const index = error.extensions['index'];
  const line = typeof index === 'number' ? lines[index]?.line : undefined;
  const where =
    line !== undefined
      ? `line ${line}`
      : `lines ${lines[0]!.line}–${lines[lines.length - 1]!.line}`;
  return new CliError(
    error.code,
    `${where}: ${error.message} (${publishedBefore} events before this batch were published; ` +
      'nothing of this batch was)',
    error.extensions,
  );
}

/** The size of the input when it is a file, to show how far along it is. */
function inputSize(input: { fd?: number }): number | undefined {
  if (typeof input.fd !== 'number') return undefined;
  try {
    const stat = fstatSync(input.fd);
    return stat.isFile() && stat.size > 0 ? stat.size : undefined;
  } catch {
    return undefined;
  }
}
