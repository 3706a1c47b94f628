import { randomBytes, randomUUID } from 'node:crypto';
import type { GatewayProcess } from '../test/support/gateway-process.js';
import { wallMs } from './figures.js';

/** The streams the benchmark uses, each with one event type `<stream>.tick`. */
export const STREAMS = {
  /** Fan-out. */
  fanout: 'bench',
  /** publishBatch against kafkajs. */
  publish: 'benchpub',
  /** Replay from earliest. */
  replay: 'benchreplay',
  /** The naive baseline and the gateway side by side. */
  naive: 'benchnaive',
} as const;

const TICK_SCHEMA = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    sentAt: { type: 'number', description: 'Publish time, ms since the epoch (sub-ms precision).' },
    region: { type: 'string' },
    note: { type: 'string' },
  },
  required: ['seq', 'sentAt'],
};

/** About 300 bytes of data per event, like a small domain event. */
const NOTE = randomBytes(96).toString('base64');

export function tickData(seq: number): {
  seq: number;
  sentAt: number;
  region: string;
  note: string;
} {
  return { seq, sentAt: wallMs(), region: 'eu-west-1', note: NOTE };
}

/** The subscription every fan-out subscriber runs: envelope, cursor, raw and typed data. */
export function fanoutQuery(stream: string): string {
  return `subscription Bench($from: StartPosition) {
  events(streams: ["${stream}"], from: $from) {
    id type time resourceId cursor payload
    ... on ${stream.charAt(0).toUpperCase()}${stream.slice(1)}Tick { data { seq sentAt region } }
  }
}`;
}

async function ok(
  gateway: GatewayProcess,
  query: string,
  variables?: Record<string, unknown>,
): Promise<any> {
  const body = await gateway.graphql(query, variables);
  if (body.errors?.length || body.data === undefined)
    throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Creates the benchmark's streams (3 partitions each) and their tick types. */
export async function createBenchStreams(gateway: GatewayProcess): Promise<void> {
  for (const stream of Object.values(STREAMS)) {
    await ok(
      gateway,
      'mutation($input: CreateStreamInput!) { createStream(input: $input) { name } }',
      {
        input: { name: stream, partitions: 3, retentionHours: 24 },
      },
    );
    await ok(
      gateway,
      'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { version } }',
      {
        input: { type: `${stream}.tick`, stream, schema: TICK_SCHEMA },
      },
    );
  }
}

/** publishBatch of ticks; `sentAt` is stamped right before the request. */
export async function publishTicks(
  gateway: GatewayProcess,
  stream: string,
  seqs: readonly number[],
): Promise<void> {
  const events = seqs.map((seq) => ({
    type: `${stream}.tick`,
    data: tickData(seq),
    resourceId: randomUUID(),
  }));
  await ok(
    gateway,
    'mutation($events: [PublishJsonInput!]!) { publishBatch(events: $events) { offset } }',
    {
      events,
    },
  );
}

/** One publishJson of a tick. */
export async function publishTick(
  gateway: GatewayProcess,
  stream: string,
  seq: number,
): Promise<void> {
  await ok(
    gateway,
    'mutation($event: PublishJsonInput!) { publishJson(event: $event) { offset } }',
    {
      event: { type: `${stream}.tick`, data: tickData(seq), resourceId: randomUUID() },
    },
  );
}
