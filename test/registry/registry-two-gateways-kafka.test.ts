/**
 * Two gateway processes on one real Kafka broker, sharing a registry topic (same
 * KAFKA_TOPIC_PREFIX): what one instance registers, the other serves, and when both are asked to
 * do conflicting things at once, both end the same way.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';

type Gql = { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };

const CREATE_STREAM = `mutation ($input: CreateStreamInput!) { createStream(input: $input) { name partitions } }`;
const REGISTER = `mutation ($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type version schema } }`;
const EVENT_TYPE = `query ($type: String!) { eventType(type: $type) { version schema versions { version schema } } }`;
const DATA_FIELD = `query ($name: String!) {
  __type(name: $name) { fields { name type { kind ofType { name kind fields { name } } } } }
}`;

const placedSchema = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    total: { type: 'number' },
    shipTo: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
  required: ['orderId', 'total'],
};

function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

function codeOf(result: Gql): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

function ok(result: Gql): any {
  if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

describe('two gateways on one Kafka broker', () => {
  let a: GatewayProcess;
  let b: GatewayProcess;

  beforeAll(async () => {
    const brokers = kafkaBrokers();
    const topicPrefix = `${uniqueName('reg2')}.`;
    const adminToken = `admin-${randomBytes(12).toString('hex')}`;
    // Started together: both load the registry and race to register the platform types.
    [a, b] = await Promise.all([
      startGatewayProcess({ brokers, topicPrefix, adminToken }),
      startGatewayProcess({ brokers, topicPrefix, adminToken }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function createStreamOnBoth(partitions = 2): Promise<string> {
    const name = uniqueName('orders');
    ok(await a.graphql(CREATE_STREAM, { input: { name, partitions } }));
    await waitFor(
      async () => (await b.graphql(`{ stream(name: "${name}") { name } }`)).data?.stream,
      {
        what: `stream ${name} on gateway B`,
      },
    );
    return name;
  }

  it('agrees on the platform types both registered at start', async () => {
    const query = `{ stream(name: "platform") { partitions eventTypes { type version } } }`;
    const [onA, onB] = [ok(await a.graphql(query)), ok(await b.graphql(query))];
    expect(onA.stream.eventTypes.length).toBeGreaterThan(20);
    expect(onB).toEqual(onA);
  });

  it('serves a type registered on A, typed, in B’s introspection and publish at once', async () => {
    const stream = await createStreamOnBoth();
    const type = `${stream.replace(/-/g, '_')}.placed`;
    const typeName = type
      .split(/[._]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');

    const sent = performance.now();
    ok(await a.graphql(REGISTER, { input: { type, stream, schema: placedSchema } }));
    const registeredOnA = performance.now();
    const dataField = await waitFor(
      async () => {
        const fields = (await b.graphql(DATA_FIELD, { name: typeName })).data?.__type?.fields as
          any[] | undefined;
        return fields?.find((f) => f.name === 'data');
      },
      { intervalMs: 5, what: `${typeName} in gateway B's schema` },
    );
    const seenOnB = performance.now();
    console.log(
      JSON.stringify({
        figure: 'registry propagation, Kafka, A → B introspection',
        sinceRequestMs: Math.round(seenOnB - sent),
        sinceAReturnedMs: Math.round(seenOnB - registeredOnA),
      }),
    );
    // Typed: `data: <Type>Data!` with the schema's fields, not JSON.
    expect(dataField.type).toMatchObject({
      kind: 'NON_NULL',
      ofType: { name: `${typeName}Data`, kind: 'OBJECT' },
    });
    expect(dataField.type.ofType.fields.map((f: { name: string }) => f.name).sort()).toEqual([
      'orderId',
      'shipTo',
      'total',
    ]);

    // B takes a typed publish of it right away, and A delivers it typed.
    const field = typeName.charAt(0).toLowerCase() + typeName.slice(1);
    const published = ok(
      await b.graphql(
        `mutation ($e: ${typeName}Publish!) { publish(event: { ${field}: $e }) { id type stream } }`,
        {
          e: { resourceId: 'o-1', data: { orderId: 'o-1', total: 12.5, shipTo: { city: 'Lyon' } } },
        },
      ),
    );
    expect(published.publish).toMatchObject({ type, stream });
    const client = createClient({
      url: `${a.url}/graphql`,
      headers: { authorization: `Bearer ${a.adminToken}` },
      retryAttempts: 0,
    });
    const events = client.iterate<{ events: any }>({
      query: `subscription { events(streams: ["${stream}"], from: { earliest: true }) {
        id __typename ... on ${typeName} { data { orderId total shipTo { city } } }
      } }`,
    });
    try {
      const first = await events.next();
      expect(first.value?.data?.events).toEqual({
        id: published.publish.id,
        __typename: typeName,
        data: { orderId: 'o-1', total: 12.5, shipTo: { city: 'Lyon' } },
      });
    } finally {
      await events.return?.(undefined);
      client.dispose();
    }
  });

  it('settles two different schemas registered at once on A and B the same way on both', async () => {
    const stream = await createStreamOnBoth();
    const type = `${stream.replace(/-/g, '_')}.shipped`;
    const schemaA = {
      type: 'object',
      properties: { carrier: { type: 'string' } },
      required: ['carrier'],
    };
    const schemaB = {
      type: 'object',
      properties: { weightKg: { type: 'integer' } },
      required: ['weightKg'],
    };
    const [onA, onB] = await Promise.all([
      a.graphql(REGISTER, { input: { type, stream, schema: schemaA } }),
      b.graphql(REGISTER, { input: { type, stream, schema: schemaB } }),
    ]);
    const results = [
      { result: onA, schema: schemaA },
      { result: onB, schema: schemaB },
    ];
    const winners = results.filter((r) => !r.result.errors);
    const losers = results.filter((r) => r.result.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    // CONFLICT when both records raced into the log; INCOMPATIBLE_SCHEMA when the loser's
    // instance had already applied the winner and checked it as a version 2.
    expect(['CONFLICT', 'INCOMPATIBLE_SCHEMA']).toContain(codeOf(losers[0]!.result));

    const expected = {
      version: 1,
      schema: winners[0]!.schema,
      versions: [{ version: 1, schema: winners[0]!.schema }],
    };
    for (const gateway of [a, b]) {
      await waitFor(
        async () =>
          expect(ok(await gateway.graphql(EVENT_TYPE, { type })).eventType).toEqual(expected),
        {
          what: `the winning schema on ${gateway === a ? 'A' : 'B'}`,
        },
      );
    }
  });

  it('lets one of two createStream calls with different partitions win, the other gets CONFLICT', async () => {
    const name = uniqueName('race');
    const [onA, onB] = await Promise.all([
      a.graphql(CREATE_STREAM, { input: { name, partitions: 2 } }),
      b.graphql(CREATE_STREAM, { input: { name, partitions: 4 } }),
    ]);
    const winners = [onA, onB].filter((r) => !r.errors);
    const losers = [onA, onB].filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map(codeOf)).toEqual(['CONFLICT']);
    const partitions = winners[0]!.data.createStream.partitions;
    for (const gateway of [a, b]) {
      await waitFor(
        async () =>
          (await gateway.graphql(`{ stream(name: "${name}") { partitions } }`)).data?.stream
            ?.partitions === partitions,
        { what: `stream ${name} with ${partitions} partitions on ${gateway === a ? 'A' : 'B'}` },
      );
    }
    // The loser's settings never replace the winner's, and asking again with them still conflicts.
    const again = await a.graphql(CREATE_STREAM, {
      input: { name, partitions: partitions === 2 ? 4 : 2 },
    });
    expect(codeOf(again)).toBe('CONFLICT');
  });
});
