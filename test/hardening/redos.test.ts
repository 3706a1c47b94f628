/**
 * Finding 1 of the hardening review, as the attacker does it: a team registers a schema whose
 * `pattern` backtracks catastrophically (`^(a+)+$`), then any publisher sends "aaaa…!". Schema
 * patterns run on a linear-time engine, so the publish is refused at once and everyone else is
 * served meanwhile; patterns that only a backtracking engine can run are refused at registration.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  graphqlOk,
  postEvents,
  publishJson,
  subscribeEvents,
  untilLive,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const EVIL_PATTERN = '^(a+)+$';
/** 2.2 s of backtracking per match before the fix; each extra "a" doubles it. */
const EVIL_NAME = `${'a'.repeat(28)}!`;
/** Centuries of backtracking: before the fix, nobody would be served again. */
const EVILER_NAME = `${'a'.repeat(64)}!`;
const STREAM = 'people';
const TYPE = 'person.created';

describe('a schema pattern that backtracks catastrophically', () => {
  let gateway: GatewayProcess;
  let publisherToken: string;

  beforeAll(async () => {
    gateway = await startGatewayProcess();
    await graphqlOk(gateway, 'mutation { createStream(input: { name: "people" }) { name } }');
    await graphqlOk(
      gateway,
      'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { version } }',
      {
        input: {
          type: TYPE,
          stream: STREAM,
          schema: {
            type: 'object',
            properties: { name: { type: 'string', pattern: EVIL_PATTERN } },
            patternProperties: { [EVIL_PATTERN]: { type: 'string' } },
          },
        },
      },
    );
    // The attacker needs nothing more than a tenant's PUBLISH token.
    const issued = await graphqlOk<{ issueToken: { token: string } }>(
      gateway,
      'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
      {
        input: {
          name: 'attacker',
          tenant: 'mallory',
          grants: [{ stream: STREAM, operations: ['PUBLISH'] }],
        },
      },
    );
    publisherToken = issued.issueToken.token;
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  test('refuses the evil input as invalid data, while another client is served meanwhile', async () => {
    // A bystander's subscription, live before the attack starts.
    const bystander = subscribeEvents(gateway, 'graphql-sse', { streams: [STREAM] });
    const live = await untilLive(bystander, () =>
      publishJson(gateway, { type: TYPE, data: { name: 'aaa' }, resourceId: randomUUID() }),
    );

    // The attack, in flight: publishes over GraphQL and a POST /events batch of 8.
    const longer = gateway.graphql(
      'mutation($event: PublishJsonInput!) { publishJson(event: $event) { id } }',
      { event: { type: TYPE, data: { name: EVILER_NAME } } },
      publisherToken,
    );
    const single = gateway.graphql(
      'mutation($event: PublishJsonInput!) { publishJson(event: $event) { id } }',
      { event: { type: TYPE, data: { name: EVIL_NAME, [EVIL_NAME]: 'x' } } },
      publisherToken,
    );
    const batch = postEvents(
      gateway,
      Array.from({ length: 8 }, () => ({
        specversion: '1.0',
        type: TYPE,
        source: 'mallory',
        data: { name: EVIL_NAME },
      })),
      { 'content-type': 'application/cloudevents-batch+json' },
      publisherToken,
    );

    // Meanwhile another client publishes, reads and is answered.
    const marker = await publishJson(gateway, {
      type: TYPE,
      data: { name: 'aaaa' },
      resourceId: randomUUID(),
    });
    const delivered = await bystander.waitForEvent((event) => event.id === marker.id);
    expect(delivered.payload).toEqual({ name: 'aaaa' });
    expect(await gateway.graphql('{ me { name } }')).toEqual({ data: { me: { name: 'admin' } } });

    const singleAnswer = await single;
    expect(singleAnswer.data ?? null).toBeNull();
    expect(singleAnswer.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      // The evil key was matched against the same pattern (patternProperties): no match, no error.
      errors: [expect.objectContaining({ path: '/name' })],
    });
    expect((await longer).errors?.[0]?.extensions?.['code']).toBe('VALIDATION_FAILED');
    const batchAnswer = await batch;
    expect(batchAnswer.status).toBe(422);
    expect(batchAnswer.body).toMatchObject({ code: 'VALIDATION_FAILED' });

    // Nothing of the attack was written: the bystander saw only the events of honest clients.
    const honest = new Set([...live, marker.id]);
    expect(bystander.events.filter((event) => !honest.has(event.id))).toEqual([]);
  });

  test('refuses, at registration, a pattern only a backtracking engine can run', async () => {
    for (const pattern of ['^(?=.*\\d)\\w+$', '^(a)\\1$']) {
      const answer = await gateway.graphql(
        'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { version } }',
        {
          input: {
            type: 'person.renamed',
            stream: STREAM,
            schema: { type: 'object', properties: { name: { type: 'string', pattern } } },
          },
        },
      );
      expect(answer.errors?.[0]?.extensions?.['code'], pattern).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message, pattern).toMatch(/linear-time/);
    }
  });
});
