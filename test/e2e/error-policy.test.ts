/**
 * One error policy on every transport, end to end on Kafka: data that the gateway itself cannot
 * serve (a record a plain Kafka producer wrote with a value outside its schema's enum) reaches a
 * subscriber as "Unexpected error." — not as BAD_USER_INPUT, which would blame the client — and
 * is logged once, with its cause and request id; the subscription goes on. A client's own
 * mistake is BAD_USER_INPUT on every transport, and the socket stays open for the next operation.
 */
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  platformExample,
  publishFence,
  publishJson,
  TRANSPORTS,
  watchAfter,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';

interface LogLine {
  readonly level?: number;
  readonly msg?: string;
  readonly requestId?: string;
  readonly err?: { readonly message?: string };
}

describe('the error policy over every transport', () => {
  let gateway: GatewayProcess;
  let producer: kafkajs.Producer;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ brokers: kafkaBrokers() });
    const native = new kafkajs.Kafka({
      clientId: 'error-policy-e2e',
      brokers: kafkaBrokers(),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    producer = native.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await gateway?.stop();
  });

  /** The gateway's log lines about `what`. */
  const logLinesAbout = (what: string): LogLine[] =>
    gateway
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(what))
      .map((line) => JSON.parse(line) as LogLine);

  test.each(TRANSPORTS)(
    'over %s, an event the gateway cannot serve is an unexpected error, logged once; the subscription goes on',
    async (transport) => {
      const resourceId = randomUUID();
      const region = `mars-${randomUUID().slice(0, 8)}`;
      const subscription = watchAfter(
        gateway,
        transport,
        resourceId,
        await publishFence(gateway, resourceId),
        '... on AppCreated { data { name region { name } } }',
      );
      const broken = platformExample('app.created', { name: 'broken-shop' });
      broken['region'] = { ...broken['region'], name: region };
      await producer.send({
        topic: `${gateway.topicPrefix}platform`,
        messages: [
          {
            key: resourceId,
            value: JSON.stringify(broken),
            headers: {
              ce_specversion: '1.0',
              ce_id: `broken-${randomUUID()}`,
              ce_source: 'native-producer',
              ce_type: 'app.created',
              ce_subject: resourceId,
              'content-type': 'application/json',
            },
          },
        ],
      });
      const error = await subscription.firstError();
      expect(error.message).toBe('Unexpected error.');
      expect(error.extensions?.['code']).toBeUndefined();
      expect(error.path).toEqual(['events', 'data', 'region', 'name']);

      // The subscription goes on with the next event.
      const next = await publishJson(gateway, {
        type: 'app.created',
        data: platformExample('app.created', { name: 'fine-shop' }),
        resourceId,
      });
      const delivered = await subscription.waitForEvent((event) => event.id === next.id);
      expect(delivered).toMatchObject({ data: { name: 'fine-shop' } });
      expect(subscription.ended).toBe(false);

      // Logged once, with the cause and a request id.
      const lines = await waitFor(() => {
        const found = logLinesAbout(region);
        return found.length > 0 && found;
      });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ msg: 'unexpected error', requestId: expect.any(String) });
      expect(lines[0]!.err?.message).toMatch(/cannot represent value/);
    },
  );

  test('over graphql-ws, a syntax error is BAD_USER_INPUT and the socket serves the next operation', async () => {
    const client = createClient({
      url: gateway.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
      retryAttempts: 0,
    });
    try {
      const run = (query: string) =>
        new Promise<unknown>((resolve) => {
          const results: unknown[] = [];
          client.subscribe(
            { query },
            {
              next: (result) => results.push(result),
              error: (error) => resolve({ error }),
              complete: () => resolve({ results }),
            },
          );
        });
      const refused = (await run('{ me { name ')) as { error: { extensions?: any }[] };
      expect(refused.error[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await run('{ me { name } }')).toEqual({
        results: [{ data: { me: { name: 'admin' } } }],
      });
    } finally {
      await client.dispose();
    }
  });
});
