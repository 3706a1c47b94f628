/**
 * Issue 15, findings 8 and 9, tried as the attacker would: a real gateway process, real HTTP.
 * - A token limited to one team's stream sees no other team's types or fields by introspection
 *   (what GraphiQL loads), nor through the suggestions of a validation error.
 * - /metrics answers only the metrics token and the admin token.
 * - Four 239 KB schemas of 3,000 properties each are refused at registration, and cost the
 *   gateway no memory to speak of.
 */
import { randomBytes } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlOk } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;
let gateway: GatewayProcess;
let teamToken: string;

const cardSchema = {
  type: 'object',
  properties: {
    cardNumber: { type: 'string' },
    cvv: { type: 'string' },
    holder: { type: 'object', properties: { secretName: { type: 'string' } } },
  },
  required: ['cardNumber'],
};
const widgetSchema = {
  type: 'object',
  properties: { widgetId: { type: 'string' } },
  required: ['widgetId'],
};

beforeAll(async () => {
  gateway = await startGatewayProcess({ env: { GATEWAY_METRICS_TOKEN: METRICS_TOKEN } });
  for (const [name, type, schema] of [
    ['team-a', 'widget.made', widgetSchema],
    ['team-b', 'card.payment.captured', cardSchema],
  ] as const) {
    await graphqlOk(
      gateway,
      'mutation ($i: CreateStreamInput!) { createStream(input: $i) { name } }',
      {
        i: { name, partitions: 1 },
      },
    );
    await graphqlOk(
      gateway,
      'mutation ($i: RegisterEventTypeInput!) { registerEventType(input: $i) { type } }',
      { i: { type, stream: name, schema } },
    );
  }
  const issued = await graphqlOk(
    gateway,
    `mutation ($i: IssueTokenInput!) { issueToken(input: $i) { token } }`,
    {
      i: {
        name: 'team-a-frontend',
        tenant: 'acme',
        grants: [{ stream: 'team-a', operations: ['SUBSCRIBE', 'PUBLISH'] }],
      },
    },
  );
  teamToken = issued.issueToken.token;
});
afterAll(async () => {
  await gateway?.stop();
});

const secrets = ['CardPaymentCaptured', 'cardNumber', 'cvv', 'secretName', 'cardPaymentCaptured'];

describe('introspection shows a token only what it may see', () => {
  it('a team token’s introspection (what GraphiQL loads) holds its own types and no other team’s', async () => {
    const mine = await gateway.graphql(getIntrospectionQuery(), undefined, teamToken);
    expect(mine.errors).toBeUndefined();
    const text = JSON.stringify(mine.data);
    expect(text).toContain('WidgetMade');
    expect(text).toContain('widgetId');
    for (const secret of secrets) expect(text).not.toContain(secret);

    // The admin sees everything, the same way.
    const all = JSON.stringify((await gateway.graphql(getIntrospectionQuery())).data);
    for (const name of ['WidgetMade', 'CardPaymentCaptured', 'cvv']) expect(all).toContain(name);
  });

  it('validation errors suggest no type or field of another team', async () => {
    const probes = [
      'subscription { events(streams: ["team-a"]) { ... on CardPaymentCapture { id } } }',
      '{ __type(name: "CardPaymentCaptured") { name fields { name } } }',
      'mutation { publish(event: { cardPaymentCapture: { data: { cardNumber: "1" } } }) { id } }',
    ];
    for (const probe of probes) {
      const result = await gateway.graphql(probe, undefined, teamToken);
      const text = JSON.stringify(result);
      for (const secret of ['CardPaymentCaptured', 'cardPaymentCaptured', 'cvv']) {
        expect(text, probe).not.toContain(secret);
      }
    }
  });

  it('an unauthenticated introspection is refused', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(body)).not.toContain('CardPaymentCaptured');
  });
});

describe('/metrics is not open to the world', () => {
  const scrape = (token?: string) =>
    fetch(`${gateway.url}/metrics`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  it('refuses no token, a wrong one and a client token with 401', async () => {
    for (const token of [undefined, 'not-the-token', METRICS_TOKEN.slice(0, -1), teamToken]) {
      const response = await scrape(token);
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(text).not.toContain('team-b');
    }
  });

  it('answers the metrics token and the admin token', async () => {
    for (const token of [METRICS_TOKEN, gateway.adminToken]) {
      const response = await scrape(token);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('streamgate_process_resident_memory_bytes');
    }
  });
});

describe('schema and registry size limits', () => {
  /** A 239 KB schema of 3,000 properties, as in the finding. */
  function hugeSchema(seed: number): object {
    const properties: Record<string, object> = {};
    for (let i = 0; i < 3000; i++) {
      properties[`field_${seed}_${i}_${'x'.repeat(40)}`] = {
        type: 'string',
        description: `property ${i}`,
      };
    }
    return { type: 'object', properties };
  }

  async function rssBytes(): Promise<number> {
    const text = await (
      await fetch(`${gateway.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      })
    ).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith('streamgate_process_resident_memory_bytes '));
    return Number(line?.split(' ')[1]);
  }

  it('refuses four 239 KB schemas of 3,000 properties with BAD_USER_INPUT, at no cost in memory', async () => {
    const before = await rssBytes();
    for (let seed = 0; seed < 4; seed++) {
      const schema = hugeSchema(seed);
      expect(Buffer.byteLength(JSON.stringify(schema))).toBeGreaterThan(230_000);
      const result = await gateway.graphql(
        'mutation ($i: RegisterEventTypeInput!) { registerEventType(input: $i) { type } }',
        { i: { type: `huge.type${seed}.created`, stream: 'team-a', schema } },
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/over the limit/);
    }
    const after = await rssBytes();
    // Before the limits, these four took RSS from 295 to 985 MiB.
    expect(after - before).toBeLessThan(100 * 1024 * 1024);
    const types = await graphqlOk(gateway, '{ stream(name: "team-a") { eventTypes { type } } }');
    expect(types.stream.eventTypes).toEqual([{ type: 'widget.made' }]);
  });
});
