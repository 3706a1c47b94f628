/**
 * Kafka stays Kafka: records written into a stream's topic by a plain kafkajs producer reach
 * subscribers (typed when their `ce_type` is registered, as UntypedEvent when they carry no
 * CloudEvents headers), and what the gateway publishes is a CloudEvents Kafka binding record
 * (binary mode) that a plain kafkajs consumer reads without knowing the gateway exists.
 */
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  platformExample,
  publishJson,
  subscribeEvents,
  TRANSPORTS,
  publishFence,
  watchAfter,
  type Transport,
  type PublishResult,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';

describe('the gateway and plain Kafka clients on one broker', () => {
  let gateway: GatewayProcess;
  let native: kafkajs.Kafka;
  let producer: kafkajs.Producer;
  /** The Kafka topic of the `platform` stream. */
  let topic: string;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ brokers: kafkaBrokers() });
    topic = `${gateway.topicPrefix}platform`;
    native = new kafkajs.Kafka({
      clientId: 'native-e2e',
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

  const fence = (resourceId: string) => publishFence(gateway, resourceId);

  const watch = (transport: Transport, resourceId: string, after: PublishResult) =>
    watchAfter(
      gateway,
      transport,
      resourceId,
      after,
      '... on AppCreated { data { name region { name } stack { name } } }',
    );

  test.each(TRANSPORTS)(
    'over %s, records of a plain producer arrive typed when ce_type is registered, untyped without headers',
    async (transport) => {
      const resourceId = randomUUID();
      const subscription = watch(transport, resourceId, await fence(resourceId));
      const data = platformExample('app.created', { name: 'native-shop' });
      const id = `native-${randomUUID()}`;
      const [typedSent] = await producer.send({
        topic,
        messages: [
          {
            key: resourceId,
            value: JSON.stringify(data),
            headers: {
              ce_specversion: '1.0',
              ce_id: id,
              ce_source: 'billing-cron',
              ce_type: 'app.created',
              ce_time: '2025-03-14T09:26:53Z',
              ce_subject: resourceId,
              ce_dataschema: 'urn:streamgate:schema:app.created:1',
              'content-type': 'application/json',
            },
          },
        ],
      });
      const timestamp = Date.now() - 60_000;
      await producer.send({
        topic,
        messages: [
          { key: resourceId, value: '{"hello":"world","n":1}', timestamp: String(timestamp) },
        ],
      });

      const [typed, untyped] = await subscription.collect(2);
      expect(typed).toMatchObject({
        __typename: 'AppCreated',
        id,
        type: 'app.created',
        resourceType: 'app',
        action: 'created',
        resourceId,
        source: 'billing-cron',
        schemaVersion: 1,
        partition: typedSent!.partition,
        offset: typedSent!.baseOffset,
        payload: data,
        data: { name: 'native-shop', region: { name: 'us' }, stack: { name: 'heroku_24' } },
      });
      expect(new Date(typed!.time).getTime()).toBe(Date.parse('2025-03-14T09:26:53Z'));

      expect(untyped).toMatchObject({
        __typename: 'UntypedEvent',
        type: 'kafka.record',
        resourceType: 'kafka',
        action: 'record',
        resourceId,
        source: 'kafka',
        tenant: null,
        schemaVersion: null,
        payload: { hello: 'world', n: 1 },
      });
      expect(untyped!.id).toEqual(expect.any(String));
      expect(untyped!.id).not.toBe(typed!.id);
      // No ce_time: the record's own timestamp.
      expect(new Date(untyped!.time).getTime()).toBe(timestamp);
      expect(untyped).not.toHaveProperty('data');
    },
  );

  test('a gateway-published event is a CloudEvents binary-mode record to a plain consumer', async () => {
    const resourceId = randomUUID();
    const data = platformExample('build.created');
    const published = await publishJson(gateway, {
      type: 'build.created',
      data,
      resourceId,
      tenant: 'acme',
      source: 'https://ci.example.com',
      time: '2025-03-14T09:26:53Z',
    });

    const consumer = native.consumer({ groupId: `native-e2e-${randomUUID()}` });
    const found: kafkajs.KafkaMessage[] = [];
    let partition: number | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async (payload) => {
          if (payload.message.headers?.['ce_id']?.toString() === published.id) {
            found.push(payload.message);
            partition = payload.partition;
          }
        },
      });
      await waitFor(() => found.length > 0, { timeoutMs: 30_000, what: 'the record in the topic' });
    } finally {
      await consumer.disconnect();
    }

    const [record] = found;
    const headers = Object.fromEntries(
      Object.entries(record!.headers ?? {}).map(([name, value]) => [name, value?.toString()]),
    );
    expect(headers).toEqual({
      ce_specversion: '1.0',
      ce_id: published.id,
      ce_source: 'https://ci.example.com',
      ce_type: 'build.created',
      ce_time: '2025-03-14T09:26:53Z',
      ce_subject: resourceId,
      ce_dataschema: 'urn:streamgate:schema:build.created:1',
      ce_tenant: 'acme',
      'content-type': 'application/json',
    });
    expect(record!.key?.toString()).toBe(resourceId);
    expect(JSON.parse(record!.value!.toString('utf8'))).toEqual(data);
    expect(partition).toBe(published.partition);
    expect(record!.offset).toBe(published.offset);
    // The record timestamp is the event's time, so offsetsForTime agrees with `time`.
    expect(Number(record!.timestamp)).toBe(Date.parse('2025-03-14T09:26:53Z'));
  });
});
