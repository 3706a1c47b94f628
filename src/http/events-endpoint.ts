import type { Authenticator } from '../auth/authenticate.js';
import { gatewayError } from '../errors.js';
import {
  cloudEventFromBinaryHeaders,
  parseCloudEvent,
  type CloudEventInput,
} from '../events/envelope.js';
import type {
  PublishedEvent,
  PublishLimits,
  PublishRequest,
  PublishService,
} from '../publish/publish-service.js';
import { defaultOperationLimits, exceedsValueDepth } from './operation-limits.js';

export interface EventsEndpointOptions {
  readonly authenticator: Authenticator;
  readonly publishing: PublishService;
  readonly limits: PublishLimits;
  /** The cursor of a published event, as `PublishResult.cursor` gives it. */
  readonly cursorOf: (event: PublishedEvent, publishedAt: number) => Promise<string>;
  /** Deepest nesting of an event's data (the GraphQL operation limit of the same name). @default 64 */
  readonly maxValueDepth?: number;
}

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';

/**
 * POST /events: the CloudEvents HTTP binding in structured, batch and binary mode. Each event is
 * published exactly as the GraphQL mutations publish it (same checks, same record).
 */
export function createEventsEndpoint(options: EventsEndpointOptions) {
  const { authenticator, publishing, limits } = options;
  // JSON of the largest batch, with room for the envelope attributes of every event.
  const maxBodyBytes = limits.maxBatchBytes + limits.maxBatchEvents * 2048;
  const maxValueDepth = options.maxValueDepth ?? defaultOperationLimits.maxValueDepth;

  return async function handleEvents(
    request: Request,
    address: string | undefined,
  ): Promise<Response> {
    if (request.method !== 'POST') {
      return new Response(null, { status: 405, headers: { allow: 'POST' } });
    }
    const principal = await authenticator.authenticate(
      request.headers.get('authorization'),
      address,
    );
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxBodyBytes) {
      throw gatewayError('PAYLOAD_TOO_LARGE', `the request body is over ${maxBodyBytes} bytes`);
    }
    const body = await readBody(request, maxBodyBytes);
    const contentType = (request.headers.get('content-type') ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    let events: CloudEventInput[];
    let batch = false;
    if (contentType === STRUCTURED) {
      events = [parseCloudEvent(parseJson(body))];
    } else if (contentType === BATCH) {
      const list = parseJson(body);
      if (!Array.isArray(list))
        throw gatewayError('BAD_USER_INPUT', 'a batch must be a JSON array of CloudEvents');
      events = list.map((item, index) => parseCloudEvent(item, index));
      batch = true;
    } else {
      events = [cloudEventFromBinaryHeaders(request.headers, body)];
    }
    // Deeper data would overflow the stack of the code that serializes it.
    if (events.some((event) => exceedsValueDepth(event.data, maxValueDepth))) {
      throw gatewayError(
        'BAD_USER_INPUT',
        `event data is nested more than ${maxValueDepth} levels deep`,
      );
    }
    const publishedAt = Date.now();
    const published = await publishing.publish(principal, events.map(toPublishRequest));
    // The same fields as the GraphQL PublishResult, so either door gives a cursor to resume from.
    const results = await Promise.all(
      published.map(async (event) => ({
        id: event.id,
        type: event.type,
        stream: event.stream,
        partition: event.partition,
        offset: String(event.offset),
        cursor: await options.cursorOf(event, publishedAt),
        warnings: event.warnings ?? [],
      })),
    );
    const payload = batch ? results : results[0];
    return new Response(JSON.stringify(payload), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

function toPublishRequest(event: CloudEventInput): PublishRequest {
  return {
    type: event.type,
    data: event.data,
    id: event.id ?? null,
    source: event.source ?? null,
    time: event.time ?? null,
    resourceId: event.subject ?? null,
    tenant: event.tenant ?? null,
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw gatewayError('BAD_USER_INPUT', 'the request body is not valid JSON');
  }
}

/** Reads at most `limit` bytes; a larger body is refused without buffering the rest. */
async function readBody(request: Request, limit: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit)
      throw gatewayError('PAYLOAD_TOO_LARGE', `the request body is over ${limit} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
