import { request as httpRequest } from 'node:http';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from '../support/wait-for.js';
import {
  startGatewayProcess,
  type GatewayProcess,
  type GatewayProcessOptions,
} from '../support/gateway-process.js';

/** What a GraphQL response looks like to a client. */
export interface GraphqlResponse<T = any> {
  readonly status: number;
  readonly data?: T;
  readonly errors?: { message: string; extensions?: Record<string, any> }[];
}

/** A grant as `GrantInput` takes it. */
export interface GrantSpec {
  readonly stream: string;
  readonly operations: readonly ('PUBLISH' | 'SUBSCRIBE' | 'MANAGE')[];
  readonly types?: readonly string[];
}

export interface IssueSpec {
  readonly name?: string;
  readonly tenant?: string;
  readonly grants: readonly GrantSpec[];
  readonly expiresAt?: string;
  readonly publishPerSecond?: number;
  readonly maxSubscriptions?: number;
}

/**
 * Who sends a request. `token: null` sends no Authorization header. `address` is the local
 * loopback address to connect from (127.x.y.z all reach the gateway on Linux), so tests that
 * present bad tokens on purpose do not trip each other's failed-authentication throttle.
 */
export interface Caller {
  readonly token: string | null;
  readonly address?: string;
}

export interface TestGateway {
  readonly process: GatewayProcess;
  readonly url: string;
  readonly wsUrl: string;
  readonly adminToken: string;
  readonly admin: Caller;
  graphql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: Caller,
  ): Promise<GraphqlResponse<T>>;
  /** POST /events with a CloudEvents body (structured unless `contentType` says otherwise). */
  postEvents(
    body: unknown,
    caller: Caller,
    contentType?: string,
  ): Promise<{ status: number; body: any }>;
  /** Issues a token as `issuer` (default: admin); throws on a GraphQL error. */
  issue(spec: IssueSpec, issuer?: Caller): Promise<{ id: string; token: string }>;
  /**
   * A graphql-ws client that never retries, so a 4403 close reaches the test. Lazy (connects
   * with its first subscription) unless `lazy: false`.
   */
  wsClient(caller: Caller, options?: { lazy?: boolean }): Client;
  sseClient(caller: Caller): ReturnType<typeof createSseClient>;
  close(): Promise<void>;
}

/** Sends an HTTP request from a chosen local address (fetch cannot pick one). */
export function httpSend(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; localAddress?: string },
): Promise<{
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: init.method,
        headers:
          init.body === undefined
            ? init.headers
            : { ...init.headers, 'content-length': Buffer.byteLength(init.body) },
        ...(init.localAddress ? { localAddress: init.localAddress } : {}),
        // A connection per request: a kept-alive one may be closed by the gateway's keep-alive
        // timeout just as the next request goes out on it ("socket hang up").
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

function authHeaders(caller: Caller): Record<string, string> {
  return caller.token === null ? {} : { authorization: `Bearer ${caller.token}` };
}

/** A WebSocket class connecting from a chosen local address. */
function webSocketFrom(address: string | undefined): typeof WebSocket {
  if (!address) return WebSocket;
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { localAddress: address });
    }
  } as typeof WebSocket;
}

/**
 * A gateway started as a user starts it (`tsx src/main.ts`; on the embedded log in a fresh data
 * directory unless `brokers` is given), with clients that speak as a given caller. A process
 * rather than `createGateway` in the test worker: the tests then see only what clients and
 * operators see (responses, close codes, the process's own log output), through real sockets.
 */
export async function startTestGateway(options: GatewayProcessOptions = {}): Promise<TestGateway> {
  const gatewayProcess = await startGatewayProcess(options);
  const { url, wsUrl, adminToken } = gatewayProcess;
  const admin: Caller = { token: adminToken };

  async function graphql<T>(
    query: string,
    variables: Record<string, unknown> = {},
    caller: Caller = admin,
  ) {
    const response = await httpSend(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...authHeaders(caller),
      },
      body: JSON.stringify({ query, variables }),
      ...(caller.address ? { localAddress: caller.address } : {}),
    });
    return {
      status: response.status,
      ...(JSON.parse(response.text) as object),
    } as GraphqlResponse<T>;
  }

  return {
    process: gatewayProcess,
    url,
    wsUrl,
    adminToken,
    admin,
    graphql,
    async postEvents(body, caller, contentType = 'application/cloudevents+json') {
      const response = await httpSend(`${url}/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, ...authHeaders(caller) },
        body: JSON.stringify(body),
        ...(caller.address ? { localAddress: caller.address } : {}),
      });
      return {
        status: response.status,
        body: response.text ? JSON.parse(response.text) : undefined,
      };
    },
    async issue(spec, issuer = admin) {
      const result = await graphql<{ issueToken: { id: string; token: string } }>(
        `
          mutation ($input: IssueTokenInput!) {
            issueToken(input: $input) {
              id
              token
            }
          }
        `,
        { input: { name: spec.name ?? 'test', ...spec } },
        issuer,
      );
      if (!result.data?.issueToken)
        throw new Error(`issueToken failed: ${JSON.stringify(result.errors)}`);
      return result.data.issueToken;
    },
    wsClient(caller, options = {}) {
      return createWsClient({
        url: wsUrl,
        webSocketImpl: webSocketFrom(caller.address),
        retryAttempts: 0,
        lazy: options.lazy ?? true,
        // Errors surface through the probe's sinks and 'closed' listener instead.
        onNonLazyError: () => {},
        connectionParams: caller.token === null ? {} : { authorization: `Bearer ${caller.token}` },
      });
    },
    sseClient(caller) {
      return createSseClient({
        url: `${url}/graphql`,
        headers: authHeaders(caller),
        retryAttempts: 0,
      });
    },
    async close() {
      await gatewayProcess.stop();
    },
  };
}

export const ORDER_SCHEMA = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    amount: { type: 'number' },
    account: { type: 'string' },
  },
  required: ['orderId'],
  additionalProperties: false,
} as const;

/** Creates a stream and registers event types on it as admin; throws on any GraphQL error. */
export async function setupStream(
  gw: TestGateway,
  stream: string,
  types: readonly string[],
  schema: object = ORDER_SCHEMA,
  partitions = 2,
): Promise<void> {
  const created = await gw.graphql(
    `mutation ($input: CreateStreamInput!) { createStream(input: $input) { name } }`,
    {
      input: { name: stream, partitions },
    },
  );
  if (created.errors) throw new Error(`createStream ${stream}: ${JSON.stringify(created.errors)}`);
  for (const type of types) {
    const registered = await gw.graphql(
      `mutation ($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type } }`,
      { input: { type, stream, schema } },
    );
    if (registered.errors)
      throw new Error(`registerEventType ${type}: ${JSON.stringify(registered.errors)}`);
  }
}

/** The `extensions.code` of every error, or ['OK'] when there is none. */
export function codesOf(response: {
  errors?: readonly { extensions?: Record<string, any> }[];
}): string[] {
  if (!response.errors || response.errors.length === 0) return ['OK'];
  return response.errors.map((error) =>
    String(error.extensions?.['code'] ?? `no code: ${JSON.stringify(error)}`),
  );
}

/**
 * Waits until each probe's subscription is live on the server, the only way a client can tell:
 * by receiving an event. Calls `publish` (which must publish something the waiting probes
 * select) until every probe has received at least one event.
 */
export async function publishUntilLive(
  probes: readonly { readonly events: readonly unknown[] }[],
  publish: (waiting: number[]) => Promise<void>,
  what = 'the subscriptions to be live',
): Promise<void> {
  await waitFor(
    async () => {
      const waiting = probes.flatMap((probe, index) => (probe.events.length === 0 ? [index] : []));
      if (waiting.length === 0) return true;
      await publish(waiting);
      return false;
    },
    { intervalMs: 150, timeoutMs: 30_000, what },
  );
}
