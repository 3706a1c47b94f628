/**
 * What an operator sees: /metrics counts publishes, their latency, deliveries, subscribers,
 * tail readers and their lag, catch-ups and the hot window, refusals by code and WebSocket connections,
 * and the numbers move as clients work; every log line of a request carries its request id
 * and no line ever holds a token.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  graphqlOk,
  postEvents,
  publishJson,
  subscribeEvents,
  untilLive,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { waitFor } from '../support/wait-for.js';
import { createFaultStream, type FaultStream } from './fault-fixtures.js';

type Samples = Map<string, number>;

/** Scrapes /metrics into `name{labels}` → value. */
async function scrape(gateway: GatewayProcess): Promise<Samples> {
  const response = await fetch(`${gateway.url}/metrics`, {
    headers: { authorization: `Bearer ${gateway.adminToken}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const samples: Samples = new Map();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const value = (samples: Samples, series: string) => samples.get(series) ?? 0;

describe('metrics and logs', () => {
  let gateway: GatewayProcess;
  let fault: FaultStream;
  let serviceToken: string;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ env: { LOG_LEVEL: 'debug' } });
    fault = await createFaultStream(gateway, 2);
    const issued = await graphqlOk(
      gateway,
      'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
      {
        input: {
          name: 'metrics-probe',
          grants: [{ stream: fault.stream, operations: ['PUBLISH', 'SUBSCRIBE'] }],
        },
      },
    );
    serviceToken = issued.issueToken.token;
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  test('/metrics names every figure and the counts move with traffic', async () => {
    const before = await scrape(gateway);
    const subscription = subscribeEvents(gateway, 'graphql-ws', {
      streams: [fault.stream],
      token: serviceToken,
    });
    const publish = () =>
      publishJson(gateway, { type: fault.type, data: fault.data() }, serviceToken);
    const warmUp = await untilLive(subscription, publish);
    const published = 10;
    const ids: string[] = [];
    for (let i = 0; i < published; i++) ids.push((await publish()).id);
    // Warm-up events published before the subscription was live never reach it; these all do.
    await waitFor(() => ids.every((id) => subscription.events.some((event) => event.id === id)), {
      what: `the ${published} events published once the subscription was live`,
    });
    const received = subscription.events.length;

    const refused = await gateway.graphql(
      'mutation($event: PublishJsonInput!) { publishJson(event: $event) { id } }',
      { event: { type: fault.type, data: { name: 42 } } },
      serviceToken,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    const unauthenticated = await postEvents(
      gateway,
      { specversion: '1.0' },
      { 'content-type': 'application/cloudevents+json' },
      null,
    );
    expect(unauthenticated.status).toBe(401);

    const after = await waitFor(
      async () => {
        const samples = await scrape(gateway);
        // Deliveries are counted as they are sent: the last may trail the client's receipt.
        const delivered =
          value(samples, 'streamgate_deliveries_total') -
          value(before, 'streamgate_deliveries_total');
        return delivered >= received ? samples : undefined;
      },
      { what: 'deliveries to be counted' },
    );
    const grew = (series: string) => value(after, series) - value(before, series);
    expect(grew(`streamgate_events_published_total{stream="${fault.stream}"}`)).toBe(
      warmUp.size + published,
    );
    expect(grew('streamgate_publish_duration_seconds_count')).toBeGreaterThanOrEqual(
      warmUp.size + published,
    );
    expect(grew('streamgate_publish_duration_seconds_sum')).toBeGreaterThan(0);
    expect(grew('streamgate_rejections_total{code="VALIDATION_FAILED"}')).toBe(1);
    expect(grew('streamgate_rejections_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(value(after, 'streamgate_subscriptions')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'streamgate_websocket_connections')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'streamgate_tail_readers')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'streamgate_subscriptions_catching_up')).toBe(0);
    expect(after.has('streamgate_catch_up_fetches{state="queued"}')).toBe(true);
    // The subscription's tail keeps what it delivered for resumes.
    expect(value(after, 'streamgate_hot_window_bytes')).toBeGreaterThan(0);
    // The tail reader is at the log end: lag is measured per stream, and it is 0 here.
    expect(after.get(`streamgate_tail_lag_records{stream="${fault.stream}"}`)).toBe(0);
    expect(after.has('streamgate_process_resident_memory_bytes')).toBe(true);

    subscription.close();
    await waitFor(
      async () => value(await scrape(gateway), 'streamgate_websocket_connections') === 0,
      {
        what: 'the WebSocket gauge to drop when the client leaves',
      },
    );
  });

  test('each request logs under its request id, echoed to the client; no token is ever logged', async () => {
    const requestId = `probe-${Date.now()}`;
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${serviceToken}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify({ query: 'query Who { me { name } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const anonymous = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceToken}` },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    const generated = anonymous.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    const lines = () =>
      gateway
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ofRequest = await waitFor(
      () => {
        const found = lines().filter((line) => line['requestId'] === requestId);
        return found.some((line) => line['msg'] === 'operation') &&
          found.some((line) => line['msg'] === 'request')
          ? found
          : undefined;
      },
      { what: 'the log lines of the request' },
    );
    expect(ofRequest.find((line) => line['msg'] === 'operation')).toMatchObject({
      operation: 'Who',
      principal: 'metrics-probe',
    });
    expect(ofRequest.find((line) => line['msg'] === 'request')).toMatchObject({
      method: 'POST',
      path: '/graphql',
      status: 200,
    });
    await waitFor(() => lines().some((line) => line['requestId'] === generated), {
      what: 'a line with the generated id',
    });

    // Every operation and request line names its request.
    for (const line of lines()) {
      if (
        line['msg'] === 'operation' ||
        line['msg'] === 'request' ||
        String(line['msg']).startsWith('subscription')
      ) {
        expect(line['requestId'], JSON.stringify(line)).toEqual(expect.any(String));
      }
    }
    const output = gateway.output();
    expect(output).not.toContain(gateway.adminToken);
    expect(output).not.toContain(serviceToken);
    expect(output).not.toContain(serviceToken.split('.').pop());
  });
});
