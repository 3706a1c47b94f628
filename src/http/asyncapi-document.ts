import { can, Operations, type Principal } from '../auth/grants.js';
import { dataschemaUri } from '../events/dataschema.js';
import type { EventTypeDef, RegistryState, StreamDef } from '../registry/registry-state.js';

/** Where the gateway is reached, as the client that asks for the document sees it. */
export interface AsyncApiOrigin {
  /** `host[:port]`. */
  readonly host: string;
  /** Served over TLS (https, wss). */
  readonly secure: boolean;
}

export interface AsyncApiOptions {
  readonly state: RegistryState;
  /** Whose view: only the streams and event types it may see are listed. */
  readonly principal: Principal;
  readonly origin: AsyncApiOrigin;
  /** The gateway's version, `info.version`. */
  readonly version: string;
}

/** The JSON Schema format of the payloads, as AsyncAPI names it. */
const JSON_SCHEMA_FORMAT = 'application/schema+json;version=draft-07';
const SECURITY = [{ $ref: '#/components/securitySchemes/bearerToken' }];

/**
 * The AsyncAPI 3.0 document of what `principal` may see (shared/API.md `GET /asyncapi.json`):
 * one channel per stream, one message per event type with its current JSON Schema as payload
 * and the CloudEvents attributes as headers, `receive` operations (graphql-ws, SSE) for what it
 * may subscribe to and `send` operations (`POST /events`) for what it may publish. Built from
 * the registry as it is now, so it follows every change at once.
 */
export function asyncApiDocument(options: AsyncApiOptions): Record<string, unknown> {
  const { state, principal, origin } = options;
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  const streams = [...state.streams.values()]
    .filter((stream) => maySee(principal, stream.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const stream of streams) {
    const types = [...state.eventTypes.values()]
      .filter((t) => t.stream === stream.name && maySee(principal, stream.name, t.type))
      .sort((a, b) => a.type.localeCompare(b.type));
    const channelKey = key(stream.name);
    const channelMessages: Record<string, unknown> = {};
    for (const type of types) {
      messages[type.graphqlName] = message(type, principal);
      channelMessages[type.graphqlName] = { $ref: `#/components/messages/${type.graphqlName}` };
    }
    channels[channelKey] = channel(stream, channelMessages);
    const refs = (op: 'SUBSCRIBE' | 'PUBLISH') =>
      types
        .filter((t) => can(principal, op, stream.name, t.type))
        .map((t) => ({ $ref: `#/channels/${channelKey}/messages/${t.graphqlName}` }));
    if (can(principal, 'SUBSCRIBE', stream.name)) {
      operations[`receive_${channelKey}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${channelKey}` },
        summary: `Subscribe to ${stream.name}`,
        description:
          `Over graphql-ws or SSE: \`subscription { events(streams: ["${stream.name}"]) ` +
          '{ id type time cursor payload } }`, with an optional `filter` and `from` ' +
          '(latest, earliest, a cursor, a time). Each event carries a cursor to resume after it.',
        messages: refs('SUBSCRIBE'),
      };
    }
    if (can(principal, 'PUBLISH', stream.name)) {
      operations[`send_${channelKey}`] = {
        action: 'send',
        channel: { $ref: `#/channels/${channelKey}` },
        summary: `Publish to ${stream.name}`,
        description:
          'POST /events as a CloudEvent (structured `application/cloudevents+json`, batch ' +
          '`application/cloudevents-batch+json`, or binary mode with `ce-*` headers), or the ' +
          'GraphQL mutations `publish`, `publishJson` and `publishBatch`. The data is validated ' +
          'against the type’s current schema; a rejected event writes nothing.',
        messages: refs('PUBLISH'),
      };
    }
  }

  const { host, secure } = origin;
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Streamgate',
      version: options.version,
      description:
        'The streams and event types this token may see. Every event is a CloudEvent 1.0 ' +
        'whose data matches its type’s registered JSON Schema.' +
        (principal.tenant === null
          ? ''
          : ` This token only ever sees and writes events of tenant "${principal.tenant}".`),
    },
    defaultContentType: 'application/json',
    servers: {
      'graphql-ws': {
        host,
        protocol: secure ? 'wss' : 'ws',
        pathname: '/graphql',
        title: 'GraphQL over WebSocket',
        description:
          'The graphql-transport-ws protocol of the graphql-ws library; the token goes in ' +
          '`connectionParams: { authorization: "Bearer <token>" }`.',
        security: SECURITY,
      },
      sse: {
        host,
        protocol: secure ? 'https' : 'http',
        pathname: '/graphql',
        title: 'GraphQL over Server-Sent Events',
        description:
          'Subscriptions with `Accept: text/event-stream`; reconnect with `Last-Event-ID` to ' +
          'continue right after the last event.',
        security: SECURITY,
      },
      events: {
        host,
        protocol: secure ? 'https' : 'http',
        pathname: '/events',
        title: 'CloudEvents over HTTP',
        description: 'POST /events: structured, batch or binary mode.',
        security: SECURITY,
      },
    },
    channels,
    operations,
    components: {
      messages,
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A Streamgate token: `Authorization: Bearer <token>`.',
        },
      },
    },
  };
}

function maySee(principal: Principal, stream: string, type?: string): boolean {
  return Operations.some((op) => can(principal, op, stream, type));
}

/** A key for the channel and operation maps, which allow no '.': stream names have no '_'. */
function key(stream: string): string {
  return stream.replaceAll('.', '_');
}

function channel(stream: StreamDef, messages: Record<string, unknown>): Record<string, unknown> {
  const retention =
    stream.retentionHours === null ? 'as long as Kafka keeps it' : `${stream.retentionHours} h`;
  return {
    address: stream.name,
    title: stream.name,
    description:
      `${stream.description ?? `The ${stream.name} stream.`} ` +
      `${stream.partitions} partitions, keyed by resource id; retention ${retention}.`,
    messages,
  };
}

function message(type: EventTypeDef, principal: Principal): Record<string, unknown> {
  const current = type.versions[type.versions.length - 1]!;
  return {
    name: type.type,
    title: type.graphqlName,
    summary:
      type.description ?? `${type.resourceType} ${type.action} (schema version ${current.version})`,
    contentType: 'application/json',
    headers: cloudEventHeaders(type, current.version, principal),
    payload: {
      schemaFormat: JSON_SCHEMA_FORMAT,
      schema: rebaseRefs(
        current.schema,
        `#/components/messages/${type.graphqlName}/payload/schema`,
      ),
    },
    ...(type.deprecationReason === null
      ? {}
      : {
          description: `Deprecated: ${type.deprecationReason}`,
          // AsyncAPI messages have no `deprecated` field of their own.
          'x-deprecated': type.deprecationReason,
        }),
    'x-schema-version': current.version,
    'x-graphql-type': type.graphqlName,
  };
}

/** The CloudEvents attributes of the event type, by their CloudEvents names. */
function cloudEventHeaders(
  type: EventTypeDef,
  version: number,
  principal: Principal,
): Record<string, unknown> {
  const tenant =
    principal.tenant === null
      ? { type: 'string', description: 'The owning account (extension attribute).' }
      : { type: 'string', const: principal.tenant, description: 'The owning account.' };
  return {
    type: 'object',
    description:
      'CloudEvents 1.0 attributes: `ce-*` headers on POST /events in binary mode and ' +
      '`ce_*` Kafka headers; fields of the GraphQL Event (`resourceId` is `subject`, ' +
      '`schemaVersion` comes from `dataschema`).',
    required: ['specversion', 'id', 'source', 'type', 'time'],
    properties: {
      specversion: { type: 'string', const: '1.0' },
      id: {
        type: 'string',
        description: 'Unique; made by the gateway unless the publisher gives one.',
      },
      source: { type: 'string', description: 'Who published: the token’s name unless given.' },
      type: { type: 'string', const: type.type },
      subject: {
        type: 'string',
        description: `The ${type.resourceType} the event is about; the Kafka key.`,
      },
      time: { type: 'string', format: 'date-time' },
      dataschema: {
        type: 'string',
        description: 'The registered schema version the data was validated against.',
        examples: [dataschemaUri(type.type, version)],
      },
      tenant,
    },
  };
}

/**
 * The schema with its local references (`#/$defs/…`) made to point to where it sits in the
 * document, `base`: in the document, `#` is the document's root.
 */
function rebaseRefs(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rebaseRefs(item, base));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value)) {
    out[name] =
      name === '$ref' && typeof child === 'string' && (child === '#' || child.startsWith('#/'))
        ? base + child.slice(1)
        : rebaseRefs(child, base);
  }
  return out;
}
