import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { createAuthenticator } from '../auth/authenticate.js';
import { createSubscriptionTracker } from '../auth/subscription-tracker.js';
import { createTokenExpiry, trackExpiry } from '../auth/token-expiry.js';
import { createTokenService } from '../auth/token-service.js';
import { gatewayError, errorCodeOf } from '../errors.js';
import { recordToEvent, type StoredEvent } from '../events/envelope.js';
import { createPublisher } from '../events/publisher.js';
import { createFanout } from '../fanout/fanout.js';
import { cursorOf } from '../graphql/event-types.js';
import { createSchemaAssembler } from '../graphql/schema-assembler.js';
import {
  createSharedExecutions,
  type SharedExecutionOptions,
  type SharedExecutionStats,
} from '../graphql/shared-execution.js';
import type { GatewayServices } from '../graphql/context.js';
import type { EventLog } from '../log/event-log.js';
import type { Logger } from '../logger.js';
import { createPublishCursorSource } from '../publish/publish-cursor.js';
import {
  createPublishService,
  defaultPublishLimits,
  type PublishLimits,
} from '../publish/publish-service.js';
import { ensurePlatformStream } from '../registry/platform-stream.js';
import type { RegistryLimits } from '../registry/registry-limits.js';
import { createRegistry } from '../registry/registry.js';
import { createEventsEndpoint } from './events-endpoint.js';
import { createLogEnds, createMetrics, instrumentPublishing } from './metrics.js';
import { createMetricsReaderCheck } from './metrics-access.js';
import { problemResponse } from './problem.js';
import { createDrain } from './shutdown.js';
import { useAuth } from './use-auth.js';
import { useCurrentSchema } from './use-current-schema.js';
import {
  asBadUserInput,
  defaultHttpServerLimits,
  httpServerOptions,
  useLimits,
  type HttpServerLimits,
  type OperationLimits,
} from './use-limits.js';
import { useMetrics } from './use-metrics.js';
import { createRequestLog } from './use-request-log.js';
import { useSharedExecution } from './use-shared-execution.js';
import { attachGraphqlWs } from './websocket-server.js';

export interface GatewayOptions {
  /** The event log, not yet connected: Kafka or the embedded log. */
  readonly log: EventLog;
  readonly logger: Logger;
  /** `GATEWAY_ADMIN_TOKEN`. @default undefined (no admin token) */
  readonly adminToken?: string;
  /** @default 4000 */
  readonly port?: number;
  /** @default '0.0.0.0' */
  readonly host?: string;
  /** @default defaultPublishLimits */
  readonly limits?: Partial<PublishLimits>;
  /** Schema and registry size limits of registrations. @default defaultRegistryLimits (registry-limits.ts) */
  readonly registryLimits?: Partial<RegistryLimits>;
  /**
   * A bearer token that may read `/metrics` (`GATEWAY_METRICS_TOKEN`); the admin token always
   * may. Without either, /metrics answers 401 to everyone. @default undefined
   */
  readonly metricsToken?: string;
  /** Create the built-in `platform` stream and its event types when absent. @default true */
  readonly platformStream?: boolean;
  /** Fan-out tuning. */
  readonly fanout?: {
    readonly maxQueueBytes?: number;
    readonly maxCatchUpReaders?: number;
    readonly tailLingerMs?: number;
  };
  /** Execute once per group (use-shared-execution.ts); false executes every subscription alone. @default {} */
  readonly sharedExecution?: SharedExecutionOptions | false;
  /** Depth, size and alias limits of GraphQL operations. @default defaultOperationLimits (use-limits.ts) */
  readonly operationLimits?: Partial<OperationLimits>;
  /** Header size and slow-client timeouts of the HTTP server. @default defaultHttpServerLimits (use-limits.ts) */
  readonly httpLimits?: Partial<HttpServerLimits>;
  /**
   * How long close() waits for publishes under way to be answered, and then for subscriptions
   * to send `complete`, before it cuts what is left. @default 5000
   */
  readonly drainTimeoutMs?: number;
}

export interface Gateway {
  readonly server: Server;
  /** `http://host:port` the gateway listens on. */
  readonly url: string;
  readonly services: GatewayServices;
  /** Figures of execute-once-per-group; undefined when it is off. */
  readonly sharedExecution: { stats(): SharedExecutionStats } | undefined;
  /** Stops accepting, ends subscriptions (clients resume from cursors), closes the log. */
  close(): Promise<void>;
}

/** Starts a gateway: connects the log, loads the registry, serves HTTP, SSE and WebSocket on one port. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { log, logger } = options;
  const limits: PublishLimits = { ...defaultPublishLimits, ...options.limits };
  await log.connect();
  const registry = createRegistry({ log, logger, limits: options.registryLimits });
  await registry.start();
  logger.info(
    { loadMs: registry.loadMs, eventTypes: registry.state.eventTypes.size },
    'registry loaded',
  );
  if (options.platformStream !== false) await ensurePlatformStream(registry, log);

  // The schema follows the registry off the request path, built incrementally in short slices.
  const schemas = createSchemaAssembler({ registry, logger });
  await schemas.start();

  const metrics = createMetrics();
  const logEnds = createLogEnds(log);
  const drain = createDrain();
  const requestLog = createRequestLog(logger);
  const fanout = createFanout<StoredEvent>({
    log,
    decode: recordToEvent,
    ...options.fanout,
    catchUpUnavailable: () =>
      gatewayError(
        'UNAVAILABLE',
        'this instance has no catch-up capacity left; resume with the cursor of the last event',
      ),
    onError: (error, context) =>
      logger.warn({ err: error, ...context }, 'tail reader failed; its subscriptions ended'),
  });
  const tokens = createTokenService({ registry });
  const authenticator = createAuthenticator({
    findToken: (id) => tokens.find(id),
    adminToken: options.adminToken,
  });
  // Ends what a token holds open when it expires; revocation does the same from registry.onChange.
  const expiry = createTokenExpiry({ onExpired: (tokenId) => endToken(tokenId, 'expired') });
  const subscriptions = trackExpiry(createSubscriptionTracker(), expiry);
  // Counted and timed for /metrics; refused once a shutdown began, and waited for by close().
  const publishing = drain.guard(
    instrumentPublishing(
      createPublishService({ registry, publisher: createPublisher({ log }), limits }),
      metrics,
    ),
  );
  const services: GatewayServices = {
    registry,
    log,
    fanout,
    publishing,
    publishCursors: createPublishCursorSource({ log }),
    tokens,
    subscriptions,
  };

  const sharedExecutions =
    options.sharedExecution === false ? undefined : createSharedExecutions(options.sharedExecution);
  const drainTimeoutMs = options.drainTimeoutMs ?? 5000;
  const handleEvents = createEventsEndpoint({
    authenticator,
    publishing,
    limits,
    maxValueDepth: options.operationLimits?.maxValueDepth,
    cursorOf: async (event, publishedAt) =>
      cursorOf(
        await services.publishCursors.positions(
          event.stream,
          event.partition,
          event.offset,
          publishedAt,
        ),
      ),
  });
  const onUnexpected = (error: unknown) => {
    if (!requestLog.reported(error)) logger.error({ err: error }, 'unexpected error');
  };

  const metricsReader = createMetricsReaderCheck([options.metricsToken, options.adminToken]);

  const useRoutes: Plugin = {
    async onRequest({ request, url, serverContext, endResponse }) {
      const address = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req
        ?.socket?.remoteAddress;
      switch (url.pathname) {
        case '/health':
          return endResponse(Response.json({ status: 'ok' }));
        case '/ready': {
          if (drain.draining) {
            return endResponse(
              Response.json({ status: 'unavailable', reason: 'shutting down' }, { status: 503 }),
            );
          }
          const logOk = await log.healthy();
          const ready = logOk && registry.loaded;
          const reason = !logOk
            ? 'the event log cannot be reached'
            : !registry.loaded
              ? 'the registry is loading'
              : undefined;
          return endResponse(
            Response.json(ready ? { status: 'ready' } : { status: 'unavailable', reason }, {
              status: ready ? 200 : 503,
            }),
          );
        }
        case '/metrics': {
          // Stream names, rates and lags are the operator's business, not every client's.
          if (!metricsReader(request.headers.get('authorization'))) {
            return endResponse(
              problemResponse(
                gatewayError('UNAUTHENTICATED', '/metrics needs the metrics or the admin token'),
                onUnexpected,
              ),
            );
          }
          const stats = fanout.stats();
          metrics.refresh(stats, await logEnds(stats.tailPositions.keys()));
          return endResponse(
            new Response(await metrics.registry.metrics(), {
              headers: { 'content-type': metrics.registry.contentType },
            }),
          );
        }
        case '/events':
          try {
            return endResponse(await handleEvents(request, address));
          } catch (error) {
            const code = errorCodeOf(error);
            if (code) metrics.rejections.inc({ code });
            return endResponse(problemResponse(error, onUnexpected));
          }
      }
    },
  };

  const yoga = createYoga<Record<string, unknown>>({
    schema: schemas.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // GraphiQL served from the package itself, not a CDN: gateways often run where the browser
    // cannot reach one (private networks, strict CSP).
    renderGraphiQL,
    graphiql: {
      title: 'Streamgate',
      subscriptionsProtocol: 'SSE',
      defaultQuery: GRAPHIQL_DEFAULT_QUERY,
      headers: JSON.stringify({ Authorization: 'Bearer <your token>' }),
    },
    context: (initial: Record<string, unknown>) => ({
      services,
      requestId: requestLog.requestIdOf(initial),
    }),
    // One operation per request: a batch would multiply every limit below by its length.
    batching: false,
    // The largest publishBatch (its data, with room for the envelope attributes of each event).
    maxRequestBodySize: limits.maxBatchBytes + limits.maxBatchEvents * 2048,
    plugins: [
      requestLog.plugin,
      useRoutes,
      // Before useLimits, so that it also counts what useLimits refuses.
      useMetrics(metrics),
      useLimits(options.operationLimits),
      useCurrentSchema((principal) => schemas.schemaFor(principal)),
      useAuth(authenticator),
      drain.plugin,
      ...(sharedExecutions ? [useSharedExecution(sharedExecutions)] : []),
    ],
    maskedErrors: {
      maskError(error, message) {
        if (errorCodeOf(error)) return error as Error;
        const original = (error as { originalError?: unknown }).originalError;
        if (original && errorCodeOf(original)) return original as Error;
        // Refusals of graphql-js (a variable of the wrong type) and of Yoga (an unknown
        // operationName): the client's mistake, given the contract's code.
        if (
          error instanceof GraphQLError &&
          (original === undefined || original instanceof GraphQLError)
        ) {
          return asBadUserInput(error);
        }
        if (
          original === undefined &&
          (error as { extensions?: { code?: unknown } }).extensions?.code
        )
          return error as Error;
        onUnexpected(original ?? error);
        // A GraphQLError: a plain Error would reach the client as `{}`.
        return new GraphQLError(message);
      },
    },
    logging: false,
  });

  const server = createServer(
    httpServerOptions({ ...defaultHttpServerLimits, ...options.httpLimits }),
    yoga,
  );
  const ws = attachGraphqlWs({
    server,
    yoga: yoga as never,
    authenticator,
    holdToken: (principal) => expiry.hold(principal),
    subscriptions,
    onConnectionChange: (delta) => metrics.websocketConnections.inc(delta),
  });

  function endToken(tokenId: string, why: 'revoked' | 'expired'): void {
    authenticator.invalidate(tokenId);
    subscriptions.endAll(tokenId, gatewayError('UNAUTHENTICATED', `the token was ${why}`));
    ws.closeToken(tokenId, `Token ${why}`);
  }
  registry.onChange((accepted) => {
    for (const record of accepted) if (record.kind === 'revocation') endToken(record.id, 'revoked');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Once listening, errors are accept failures (EMFILE under a connection flood): they pass, and
  // without a listener they would crash the process.
  server.on('error', (error) => logger.error({ err: error }, 'HTTP server error'));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;

  return {
    server,
    url,
    services,
    sharedExecution: sharedExecutions,
    async close() {
      // Stop accepting: readiness fails, new connections and new publishes are refused.
      drain.begin();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Every publish under way is answered (written or not), so no client is left guessing.
      if (!(await drain.publishesSettled(drainTimeoutMs)))
        logger.warn({ publishes: drain.publishes }, 'publishes still under way at shutdown');
      // Subscriptions end without an error: graphql-ws sends `complete`, SSE its `complete`
      // event; clients resume from their last cursor on another instance.
      await fanout.close();
      if (!(await drain.subscriptionsEnded(drainTimeoutMs)))
        logger.warn({ subscriptions: drain.subscriptions }, 'subscriptions still open at shutdown');
      await ws.close();
      // Only now: a token expiring while subscriptions drain still ends them.
      expiry.close();
      await closeConnections(server, closed, drainTimeoutMs);
      schemas.close();
      await registry.close();
      await log.close();
    },
  };
}

/** Lets answers under way finish on their connections, closing them as they go idle; then cuts the rest. */
async function closeConnections(
  server: Server,
  closed: Promise<void>,
  graceMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([closed, deadline]);
  clearInterval(idleSweep);
  clearTimeout(timer);
  server.closeAllConnections();
  await closed;
}

const GRAPHIQL_DEFAULT_QUERY = `# Welcome to Streamgate. Put your token in the Headers tab below:
#   { "Authorization": "Bearer <your token>" }
#
# Run Watch in a second tab, then Publish here: the event arrives there at once.

subscription Watch {
  events(streams: ["platform"], filter: { types: ["app.*"] }) {
    type
    resourceId
    time
    cursor
    ... on AppCreated { data { name region { name } } }
  }
}

mutation Publish {
  publish(event: { appCreated: {
    resourceId: "01234567-89ab-cdef-0123-456789abcdef"
    data: {
      id: "01234567-89ab-cdef-0123-456789abcdef", name: "example-shop"
      region: { id: "59accabd-516d-4f0e-83e6-6e3757701145", name: us }
      stack: { id: "ae3d6f4c-5e0b-4f2a-9a43-0f1c5d1b7a21", name: heroku_24 }
      owner: { id: "5f2a6d1e-8b3c-4e7f-9a0d-2c4b6e8f1a3c", email: "dev@example.com" }
      acm: false, maintenance: false
      created_at: "2025-03-14T09:26:53Z", updated_at: "2025-03-14T09:26:53Z"
    }
  } }) { id stream partition offset cursor }
}
`;
