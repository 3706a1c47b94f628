/**
 * Hostile and broken clients: documents too deep, wide, aliased or long, fragment bombs,
 * malformed JSON, batches, oversized bodies and headers, clients that never finish a request,
 * malformed graphql-ws messages and oversized frames. Each gets a clear error or close, and the
 * gateway serves everyone else as before.
 *
 * In-process (createGateway on an embedded log) so the HTTP timeouts can be made short.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createGateway, type Gateway } from '../../src/http/create-gateway.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import { createLogger } from '../../src/logger.js';
import { waitFor } from '../support/wait-for.js';

const ADMIN = 'hostile-input-admin-token';

describe('hostile input', () => {
  let gateway: Gateway;
  /** A gateway with short HTTP timeouts, for the clients that never finish a request. */
  let impatient: Gateway;
  const dataDirs: string[] = [];

  async function start(
    httpLimits: { headersTimeoutMs: number; requestTimeoutMs: number } | undefined,
  ) {
    const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-hostile-'));
    dataDirs.push(dataDir);
    return createGateway({
      log: createEmbeddedLog({ dataDir }),
      logger: createLogger({ level: 'silent' as never }),
      adminToken: ADMIN,
      port: 0,
      host: '127.0.0.1',
      ...(httpLimits ? { httpLimits } : {}),
    });
  }
  const portOf = (g: Gateway) => Number(new URL(g.url).port);

  beforeAll(async () => {
    gateway = await start(undefined);
    impatient = await start({ headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
  });
  afterAll(async () => {
    await gateway?.close();
    await impatient?.close();
    for (const dataDir of dataDirs) await rm(dataDir, { recursive: true, force: true });
  });

  async function post(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}`, ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as { data?: any; errors?: any[] } };
  }
  const query = (document: string) => post(JSON.stringify({ query: document }));

  /** The gateway still answers an ordinary query. */
  async function stillServes() {
    const { body } = await query('{ me { name } }');
    expect(body).toEqual({ data: { me: { name: 'admin' } } });
  }

  describe.concurrent('GraphQL documents past a limit are refused before they run', () => {
    const nested = (levels: number) =>
      `{ me { ${'grants { '.repeat(levels)}stream${' }'.repeat(levels)} } }`;
    const cases: [string, string, RegExp][] = [
      ['too deep', nested(25), /nested \d+ levels deep; the limit is 20/],
      [
        'too many fields',
        `{ me { ${'name '.repeat(1200)}} }`,
        /selects 1201 fields; the limit is 1000/,
      ],
      [
        'too many aliases',
        `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: me { name }`).join(' ')} }`,
        /uses 60 aliases; the limit is 50/,
      ],
      [
        'too many directives',
        `{ me { name${' @include(if: true)'.repeat(60)} } }`,
        /uses 60 directives; the limit is 50/,
      ],
      ['too many tokens', `{ me { ${'name '.repeat(12_000)}} }`, /more tha[nt] 10000 tokens/],
      [
        'too long',
        `{ me { name } } ${'#'.repeat(120_000)}`,
        /the document has \d+ characters; the limit is 100000/,
      ],
      [
        'a fragment bomb',
        `{ ...F0 } ${Array.from({ length: 30 }, (_, i) =>
          i === 29
            ? `fragment F29 on Query { me { name } }`
            : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
        ).join(' ')}`,
        /selects \d+ fields; the limit is 1000/,
      ],
      [
        'a literal nested too deep',
        `mutation { publishJson(event: { type: "app.created", data: ${'['.repeat(100)}${']'.repeat(100)} }) { id } }`,
        /a value in the document is nested 101 levels deep; the limit is 64/,
      ],
      [
        'a literal nested too deep to parse',
        `{ me { name } } query Q($v: JSON = ${'['.repeat(4900)}${']'.repeat(4900)}) { me { name } }`,
        /nested/,
      ],
      ['a syntax error', '{ me { name ', /Syntax Error/],
      ['an unknown field', '{ me { salary } }', /Cannot query field "salary"/],
    ];
    test.each(cases)('%s', async (_name, document, message) => {
      const { body } = await query(document);
      expect(body.data ?? undefined).toBeUndefined();
      expect(body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(message),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });

    test('variables nested too deep (they would overflow the stack of JSON.stringify)', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const body = JSON.stringify({
        query: 'mutation($event: PublishJsonInput!) { publishJson(event: $event) { id } }',
        variables: { event: { type: 'app.created', data: '__DEEP__' } },
      }).replace('"__DEEP__"', deep);
      const { body: answer } = await post(body);
      expect(answer.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/nested more than 64 levels deep/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      const events = await fetch(`${gateway.url}/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json',
          authorization: `Bearer ${ADMIN}`,
        },
        body: JSON.stringify({
          specversion: '1.0',
          id: 'deep',
          source: 'test',
          type: 'app.created',
          data: '__DEEP__',
        }).replace('"__DEEP__"', deep),
      });
      expect(events.status).toBe(400);
      expect(await events.json()).toMatchObject({
        code: 'BAD_USER_INPUT',
        detail: expect.stringMatching(/nested more than 64/),
      });
    });

    test('a variable of the wrong type is the client’s mistake, not a server error', async () => {
      const { body } = await post(
        JSON.stringify({
          query: 'query($n: String!) { stream(name: $n) { name } }',
          variables: { n: { nested: true } },
        }),
      );
      expect(body.errors?.[0]).toMatchObject({
        message: expect.stringContaining('$n'),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });

    test('GraphiQL’s introspection query stays within the limits', async () => {
      const { body } = await query(
        getIntrospectionQuery({
          descriptions: true,
          specifiedByUrl: true,
          directiveIsRepeatable: true,
          schemaDescription: true,
          inputValueDeprecation: true,
          oneOf: true,
        }),
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.__schema.types.length).toBeGreaterThan(10);
    });
  });

  describe.concurrent('malformed and oversized HTTP requests', () => {
    test('malformed JSON: 400 BAD_USER_INPUT', async () => {
      const { status, body } = await post('{"query": "{ me { name } }"');
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    test('a batch of operations: 400, batching is off', async () => {
      const { status, body } = await post(
        JSON.stringify([{ query: '{ me { name } }' }, { query: '{ me { name } }' }]),
      );
      expect(status).toBe(400);
      expect(body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/batching/i),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });

    test('a body over the limit: 413 PAYLOAD_TOO_LARGE, declared or chunked', async () => {
      const huge = JSON.stringify({
        query: '{ me { name } }',
        variables: { padding: 'x'.repeat(8 << 20) },
      });
      const declared = await post(huge);
      expect(declared.status).toBe(413);
      expect(declared.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');

      // No content-length: the body streams in chunks and is cut off at the limit.
      const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            port: portOf(gateway),
            host: '127.0.0.1',
            method: 'POST',
            path: '/graphql',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${ADMIN}`,
              'transfer-encoding': 'chunked',
            },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        const chunk = 'x'.repeat(1 << 20);
        req.write('{"query":"{ me { name } }","variables":{"padding":"');
        let sent = 0;
        const pump = () => {
          while (sent < 10 && req.write(chunk)) sent++;
          if (sent < 10) req.once('drain', () => (sent++, pump()));
          else req.end('"}}');
        };
        pump();
      });
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body).errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    });

    test('headers over the limit: 431', async () => {
      const response = await fetch(`${gateway.url}/graphql`, {
        headers: { 'x-padding': 'x'.repeat(64 * 1024) },
      });
      expect(response.status).toBe(431);
    });

    test('a client that never finishes its headers is disconnected', async () => {
      const socket = await openSocket();
      socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nx-slow: `);
      const answer = await closedWith(socket);
      expect(answer).toMatch(/^HTTP\/1\.1 408|^$/);
    });

    test('a client that never finishes its body is disconnected', async () => {
      const socket = await openSocket();
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":`,
      );
      const answer = await closedWith(socket);
      expect(answer).toMatch(/^HTTP\/1\.1 408|^$/);
    });
  });

  describe.concurrent('malformed graphql-ws traffic', () => {
    async function openWs(): Promise<{
      socket: WebSocket;
      closed: Promise<{ code: number; reason: string }>;
    }> {
      const socket = new WebSocket(
        `ws://127.0.0.1:${portOf(gateway)}/graphql`,
        'graphql-transport-ws',
      );
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
      );
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      return { socket, closed };
    }
    const init = JSON.stringify({
      type: 'connection_init',
      payload: { authorization: `Bearer ${ADMIN}` },
    });

    test('a message that is not JSON: 4400', async () => {
      const { socket, closed } = await openWs();
      socket.send('this is not { json');
      expect((await closed).code).toBe(4400);
    });

    test('binary garbage: 4400', async () => {
      const { socket, closed } = await openWs();
      socket.send(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b]));
      expect((await closed).code).toBe(4400);
    });

    test('a subscribe message without an id: 4400', async () => {
      const { socket, closed } = await openWs();
      socket.send(init);
      await new Promise((resolve) => socket.once('message', resolve)); // connection_ack
      socket.send(JSON.stringify({ type: 'subscribe', payload: { query: '{ me { name } }' } }));
      expect((await closed).code).toBe(4400);
    });

    test('a subscribe before connection_init: 4401', async () => {
      const { socket, closed } = await openWs();
      socket.send(
        JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ me { name } }' } }),
      );
      expect((await closed).code).toBe(4401);
    });

    test('a frame over the size limit: 1009', async () => {
      const { socket, closed } = await openWs();
      socket.send('x'.repeat((1 << 20) + 1));
      expect((await closed).code).toBe(1009);
    });

    test('an operation past a limit is refused with BAD_USER_INPUT and the socket stays open', async () => {
      const { socket, closed } = await openWs();
      const messages: any[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(String(data))));
      socket.send(init);
      await waitFor(() => messages.some((m) => m.type === 'connection_ack'), {
        what: 'connection_ack',
      });
      const deep = `subscription { events(streams: ["platform"]) { ${'__typename '.repeat(1100)} } }`;
      socket.send(JSON.stringify({ id: 'deep', type: 'subscribe', payload: { query: deep } }));
      const error = await waitFor(
        () => messages.find((m) => m.type === 'error' && m.id === 'deep'),
        { what: 'the error message' },
      );
      expect(error.payload[0]).toMatchObject({
        message: expect.stringMatching(/fields; the limit is 1000/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      socket.send(
        JSON.stringify({ id: 'ok', type: 'subscribe', payload: { query: '{ me { name } }' } }),
      );
      const next = await waitFor(() => messages.find((m) => m.type === 'next' && m.id === 'ok'), {
        what: 'the next message',
      });
      expect(next.payload).toEqual({ data: { me: { name: 'admin' } } });
      socket.close(1000);
      expect((await closed).code).toBe(1000);
    });
  });

  test('accept failures of a flooded server (EMFILE) neither drop WebSocket clients nor crash', async () => {
    const socket = new WebSocket(
      `ws://127.0.0.1:${portOf(gateway)}/graphql`,
      'graphql-transport-ws',
    );
    const messages: any[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ADMIN}` } }),
    );
    await waitFor(() => messages.some((m) => m.type === 'connection_ack'), {
      what: 'connection_ack',
    });
    // What node's HTTP server emits when accept() fails for want of file descriptors.
    for (let i = 0; i < 3; i++) {
      gateway.server.emit(
        'error',
        Object.assign(new Error('accept EMFILE'), { code: 'EMFILE', syscall: 'accept' }),
      );
    }
    socket.send(
      JSON.stringify({ id: 'after', type: 'subscribe', payload: { query: '{ me { name } }' } }),
    );
    const next = await waitFor(() => messages.find((m) => m.type === 'next' && m.id === 'after'), {
      what: 'an answer on the same socket',
    });
    expect(next.payload).toEqual({ data: { me: { name: 'admin' } } });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close(1000);
  });

  test('after all of that the gateway serves as before', async () => {
    await stillServes();
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });

  function openSocket(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(portOf(impatient), '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    });
  }
});

/** Resolves with what the server wrote before it closed the connection. */
function closedWith(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}
