/**
 * The registry's lifecycle as users meet it: two gateway processes on the real broker sharing a
 * registry. A type registered on one is typed on the other; old events get the default of a
 * field required since; a subscription stays open across a deprecation, a mode change and the
 * deletion of a type, and ends with NOT_FOUND when its stream is deleted.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlOk, publishJson, subscribeEvents, untilLive } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';

const REGISTER = `mutation ($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type version } }`;
const DATA_FIELDS = `query ($name: String!) { __type(name: $name) { fields { name } } }`;

let a: GatewayProcess;
let b: GatewayProcess;

beforeAll(async () => {
  const topicPrefix = `lifecycle-e2e-${randomBytes(4).toString('hex')}.`;
  const brokers = kafkaBrokers();
  [a, b] = await Promise.all([
    startGatewayProcess({ brokers, topicPrefix }),
    startGatewayProcess({ brokers, topicPrefix }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(3).toString('hex')}`;
}

async function createStream(gateway: GatewayProcess, name: string): Promise<void> {
  await graphqlOk(
    gateway,
    'mutation ($input: CreateStreamInput!) { createStream(input: $input) { name } }',
    { input: { name, partitions: 1 } },
  );
}

async function register(gateway: GatewayProcess, type: string, stream: string, schema: object) {
  return graphqlOk(gateway, REGISTER, { input: { type, stream, schema } });
}

/** The fields of a GraphQL type as `gateway` serves it now ([] when it has no such type). */
async function fieldsOf(gateway: GatewayProcess, name: string): Promise<string[]> {
  const data = await graphqlOk(gateway, DATA_FIELDS, { name });
  return (data.__type?.fields ?? []).map((f: { name: string }) => f.name);
}

const itemV1 = {
  type: 'object',
  properties: { id: { type: 'string' } },
  required: ['id'],
  additionalProperties: false,
};
/** v2 requires `priority`, with a default: events written under v1 get it on delivery. */
const itemV2 = {
  type: 'object',
  properties: { id: { type: 'string' }, priority: { type: 'string', default: 'normal' } },
  required: ['id', 'priority'],
  additionalProperties: false,
};

describe('the registry across two gateway processes on Kafka', () => {
  it('types on one instance what the other registers; old events get defaults of fields required since', async () => {
    const stream = uniqueName('items-');
    const prefix = uniqueName('item');
    const type = `${prefix}.created`;
    const typeName = `${prefix.charAt(0).toUpperCase()}${prefix.slice(1)}Created`;
    await createStream(a, stream);
    await register(a, type, stream, itemV1);
    await waitFor(async () => (await fieldsOf(b, `${typeName}Data`)).includes('id'), {
      what: 'the type registered on A to be typed in B',
    });
    const old = await publishJson(b, { type, data: { id: 'old-1' }, resourceId: 'old-1' });

    await register(a, type, stream, itemV2);
    await waitFor(async () => (await fieldsOf(b, `${typeName}Data`)).includes('priority'), {
      what: 'version 2 typed in B',
    });
    const fresh = await publishJson(b, {
      type,
      data: { id: 'new-1', priority: 'high' },
      resourceId: 'new-1',
    });

    const subscription = subscribeEvents(b, 'graphql-sse', {
      streams: [stream],
      from: { earliest: true },
      selection: `... on ${typeName} { data { id priority } }`,
    });
    const [first, second] = await subscription.collect(2);
    expect(first).toMatchObject({
      id: old.id,
      schemaVersion: 1,
      payload: { id: 'old-1' },
      data: { id: 'old-1', priority: 'normal' },
    });
    expect(second).toMatchObject({ id: fresh.id, data: { id: 'new-1', priority: 'high' } });
    expect(subscription.errors).toEqual([]);
  });

  it('keeps a subscription across a deprecation, a mode change and a type deletion, and ends it with NOT_FOUND when its stream is deleted', async () => {
    const stream = uniqueName('things-');
    const prefix = uniqueName('thing');
    const type = `${prefix}.made`;
    const other = `${prefix}.kept`;
    const typeName = `${prefix.charAt(0).toUpperCase()}${prefix.slice(1)}Made`;
    const field = `${prefix}Made`;
    await createStream(a, stream);
    await register(a, type, stream, itemV1);
    await register(a, other, stream, itemV1);
    await waitFor(async () => (await fieldsOf(b, `${typeName}Data`)).includes('id'), {
      what: 'the types on B',
    });

    const subscription = subscribeEvents(b, 'graphql-ws', {
      streams: [stream],
      selection: `... on ${typeName} { data { id } }`,
    });
    let n = 0;
    const publish = (t = type) => publishJson(a, { type: t, data: { id: `e${++n}` } });
    await untilLive(subscription, () => publish());

    // Deprecation: the publish answers with a warning, the schema marks the field, events flow.
    const deprecated = await graphqlOk(
      a,
      `mutation { deprecateEventType(type: "${type}", reason: "use ${other}") { deprecationReason } }`,
    );
    expect(deprecated.deprecateEventType.deprecationReason).toBe(`use ${other}`);
    const warned = await graphqlOk(
      a,
      `mutation ($event: PublishJsonInput!) { publishJson(event: $event) { id warnings } }`,
      { event: { type, data: { id: 'warned' } } },
    );
    expect(warned.publishJson.warnings).toEqual([
      `event type "${type}" is deprecated: use ${other}`,
    ]);
    await subscription.waitForEvent(
      (e) => e.id === warned.publishJson.id,
      'the deprecated type’s event',
    );
    await waitFor(
      async () => {
        const data = await graphqlOk(
          b,
          `{ __type(name: "PublishInput") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
        );
        return data.__type.inputFields.some(
          (f: { name: string; isDeprecated: boolean; deprecationReason: string }) =>
            f.name === field && f.isDeprecated && f.deprecationReason === `use ${other}`,
        );
      },
      { what: '@deprecated on the publish field in B' },
    );

    // A mode change makes no version; events flow.
    const changed = await graphqlOk(
      a,
      `mutation { setCompatibility(type: "${type}", compatibility: NONE) { compatibility version } }`,
    );
    expect(changed.setCompatibility).toEqual({ compatibility: 'NONE', version: 1 });
    const afterMode = await publish();
    await subscription.waitForEvent((e) => e.id === afterMode.id, 'an event after the mode change');

    // Deleting the type: publishing it is NOT_FOUND; its events stay, untyped; the rest flows.
    expect(await graphqlOk(a, `mutation { deleteEventType(type: "${type}") }`)).toEqual({
      deleteEventType: true,
    });
    await waitFor(async () => (await fieldsOf(b, typeName)).length === 0, {
      what: 'the deleted type gone from B',
    });
    const refused = await a.graphql(
      `mutation ($event: PublishJsonInput!) { publishJson(event: $event) { id } }`,
      { event: { type, data: { id: 'refused' } } },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const kept = await publish(other);
    await subscription.waitForEvent((e) => e.id === kept.id, 'an event after the type deletion');
    expect(subscription.ended).toBe(false);
    const replay = subscribeEvents(b, 'graphql-sse', {
      streams: [stream],
      from: { earliest: true },
    });
    const [oldest] = await replay.collect(1);
    expect(oldest).toMatchObject({ type, __typename: 'UntypedEvent' });

    // Deleting the stream ends the subscription with a clear code.
    expect(await graphqlOk(a, `mutation { deleteStream(name: "${stream}") }`)).toEqual({
      deleteStream: true,
    });
    const error = await subscription.firstError();
    expect(error.extensions?.['code']).toBe('NOT_FOUND');
    expect(error.message).toContain(stream);
    await waitFor(() => subscription.ended, { what: 'the subscription to end' });
    const gone = await b.graphql(`{ stream(name: "${stream}") { name } }`);
    expect(gone.data?.stream).toBeNull();
  });
});
