/**
 * The naive baseline: what a GraphQL-over-Kafka gateway looks like without a shared reader. A
 * small graphql-yoga server (graphql-ws through yoga.getEnveloped) whose every subscription
 * creates its own kafkajs consumer, in a consumer group of its own, reading from the latest
 * offset. Run as a child process with KAFKA_BROKERS; sends `{ port }` over IPC once listening.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createSchema, createYoga } from 'graphql-yoga';
import { Kafka, logLevel } from 'kafkajs';
import { WebSocketServer } from 'ws';

const kafka = new Kafka({
  clientId: 'naive-gateway',
  brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','),
  logLevel: logLevel.NOTHING,
});

/** The events of one consumer, as an async iterator, its consumer stopped on return. */
async function* consume(
  topic: string,
): AsyncGenerator<{ events: { offset: string; data: unknown } }> {
  const consumer = kafka.consumer({ groupId: `naive-${randomUUID()}` });
  const queue: { offset: string; data: unknown }[] = [];
  let wake: (() => void) | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        queue.push({
          offset: message.offset,
          data: JSON.parse(message.value?.toString() ?? 'null'),
        });
        wake?.();
      },
    });
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      yield { events: queue.shift()! };
    }
  } finally {
    await consumer.disconnect();
  }
}

const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `
      scalar JSON
      type Query {
        ok: Boolean
      }
      type NaiveEvent {
        offset: String!
        data: JSON
      }
      type Subscription {
        events(topic: String!): NaiveEvent!
      }
    `,
    resolvers: {
      Subscription: {
        events: { subscribe: (_root: unknown, args: { topic: string }) => consume(args.topic) },
      },
    },
  }),
  logging: false,
});

const server = createServer(yoga);
const sockets = new WebSocketServer({ server, path: '/graphql' });
useServer(
  {
    execute: (args) =>
      (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
    subscribe: (args) =>
      (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
    onSubscribe: async (context, _id, payload) => {
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
        ...context,
        req: context.extra.request,
        socket: context.extra.socket,
        params: payload,
      });
      const args = {
        schema,
        operationName: payload.operationName,
        document: parse(payload.query),
        variableValues: payload.variables,
        contextValue: await contextFactory(),
        rootValue: { execute, subscribe },
      };
      const errors = validate(args.schema, args.document);
      return errors.length ? errors : args;
    },
  },
  sockets,
);
server.listen(0, '127.0.0.1', () =>
  process.send!({ port: (server.address() as AddressInfo).port }),
);
process.on('disconnect', () => process.exit(0));
