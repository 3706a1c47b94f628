import { createServer, type Server } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { createAuthenticator } from '../auth/authenticate.js';
import { createClientAddressResolver } from '../auth/client-address.js';
import { createSubscriptionTracker } from '../auth/subscription-tracker.js';
import { createTokenExpiry, trackExpiry } from '../auth/token-expiry.js';
import { createTokenService } from '../auth/token-service.js';
import { gatewayError } from '../errors.js';
import { recordToEvent, type StoredEvent } from '../events/envelope.js';
import { createPublisher } from '../events/publisher.js';
import { createFanout, type FanoutOptions } from '../fanout/fanout.js';
import { lastEventIdOf, useSseResume } from './use-sse-resume.js';
import { deadLetterStream } from '../groups/dead-letters.js';
import { createGroupService, type GroupServiceOptions } from '../groups/group-service.js';
import { cursorOf } from '../graphql/event-types.js';
import { createSchemaAssembler } from '../graphql/schema-assembler.js';
import { createSharedExecutions, type SharedExecutionStats } from '../graphql/shared-execution.js';
import type { GatewayServices } from '../graphql/context.js';
import type { EventLog } from '../log/event-log.js';
import type { Logger } from '../logger.js';
import { createPublishCursorSource } from '../publish/publish-cursor.js';
import { createEndOffsetsCache } from '../log/end-offsets.js';
import {
  createPublishService,
  defaultPublishLimits,
  type PublishLimits,
} from '../publish/publish-service.js';
import { ensurePlatformStream } from '../registry/platform-stream.js';
import { startSchemaChecks } from '../registry/schema-check.js';
import { createStream } from '../registry/registry-commands.js';
import type { RegistryLimits } from '../registry/registry-limits.js';
import { createRegistry } from '../registry/registry.js';
import { VERSION } from '../version.js';
import type { FilterLimits } from '../events/filter-input.js';
import type { ConnectionLimitsOptions } from './connection-limits.js';
import { createAsyncApiEndpoint } from './asyncapi-endpoint.js';
import { clientErrorOf } from './error-policy.js';
import { createEventsEndpoint } from './events-endpoint.js';
import { graphiqlSetup } from './graphiql.js';
import { registerGroupMetrics } from './group-metrics.js';
import { listen } from './listen.js';
import { createMetrics, instrumentPublishing } from './metrics.js';
import { createDrain } from './shutdown.js';
import { shutDownGateway } from './shutdown-sequence.js';
import { useAuth } from './use-auth.js';
import { useCurrentSchema } from './use-current-schema.js';
import { createMetricsReaderCheck } from './metrics-access.js';
import { useGatewayRoutes, YOGA_HEALTH_CHECK_OFF } from './use-gateway-routes.js';
import {
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
  /** Start on a registry topic the embedded log found damaged (else refuse). @default false */
  readonly acceptRegistryDamage?: boolean;
  /**
   * A bearer token that may read `/metrics` (`GATEWAY_METRICS_TOKEN`); the admin token always
   * may. Without either, /metrics answers 401 to everyone. @default undefined
   */
  readonly metricsToken?: string;
  /** Create the built-in `platform` stream and its event types when absent. @default true */
  readonly platformStream?: boolean;
  /** Fan-out tuning. */
  readonly fanout?: Pick<
    FanoutOptions<StoredEvent>,
    'maxQueueBytes' | 'hotWindowBytes' | 'catchUpConcurrency' | 'catchUpCacheBytes' | 'tailLingerMs'
  >;
  /** Consumer groups: `GATEWAY_GROUP_MAX_DELIVERIES` and read-ahead. @default groupServiceDefaults */
  readonly groups?: Pick<GroupServiceOptions<unknown>, 'maxDeliveries' | 'readAhead'>;
  /** Execute once per group (use-shared-execution.ts); false executes every subscription alone. @default true */
  readonly sharedExecution?: boolean;
  /** Depth, size and alias limits of GraphQL operations. @default defaultOperationLimits (use-limits.ts) */
  readonly operationLimits?: Partial<OperationLimits>;
  /** Header size and slow-client timeouts of the HTTP server. @default defaultHttpServerLimits (use-limits.ts) */
  readonly httpLimits?: Partial<HttpServerLimits>;
  /**
   * How long close() waits for publishes under way to be answered, and then for subscriptions
   * to send `complete`, before it cuts what is left. @default 5000
   */
  readonly drainTimeoutMs?: number;
  /**
   * Addresses and CIDR ranges of the proxies in front of the gateway: only their
   * `X-Forwarded-For` is believed (`GATEWAY_TRUSTED_PROXIES`). @default [] (the peer is the client)
   */
  readonly trustedProxies?: readonly string[];
  /** Limits of subscription filters. @default DEFAULT_FILTER_LIMITS (events/filter-input.ts) */
  readonly filterLimits?: FilterLimits;
  /** WebSocket caps per token and address, idle timeout, ping. @default defaultConnectionLimits (connection-limits.ts) */
  readonly connectionLimits?: Partial<ConnectionLimitsOptions>;
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
  // Loads on its own thread while the registry loads here.
  startSchemaChecks();
  const registry = createRegistry({
    log,
    logger,
    limits: options.registryLimits,
    acceptDamage: options.acceptRegistryDamage === true,
  });
  try {
    await registry.start();
  } catch (error) {
    // Refused (a damaged registry topic) or failed: release the data directory for the next try.
    await registry.close().catch(() => undefined);
    await log.close();
    throw error;
  }
  logger.info(
    { loadMs: registry.loadMs, eventTypes: registry.state.eventTypes.size },
    'registry loaded',
  );
  if (options.platformStream !== false) await ensurePlatformStream(registry, log);
  // The schema follows the registry off the request path, built incrementally in short slices.
  const schemas = createSchemaAssembler({ registry, logger });
  await schemas.start();

  const metrics = createMetrics();
  // One cache of end offsets: publish cursors and the tail-lag gauges ask the log once between them.
  const endOffsets = createEndOffsetsCache(log);
  const drain = createDrain();
  const requestLog = createRequestLog(logger);
  const fanout = createFanout<StoredEvent>({
    log,
    decode: recordToEvent,
    ...options.fanout,
    onError: (error, context) =>
      logger.warn({ err: error, ...context }, 'tail reader failed; its subscriptions ended'),
  });
  const tokens = createTokenService({ registry });
  // Who the client is, for the failed-auth throttle and the per-address caps.
  const clientAddress = createClientAddressResolver(options.trustedProxies ?? []);
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
  const groups = createGroupService<StoredEvent>({
    log,
    decode: recordToEvent,
    ...options.groups,
    logger: logger.child({ component: 'groups' }),
    // `<stream>.dead-letter`: a stream like any other, made on first use with its stream's settings.
    async ensureDeadLetterStream(stream) {
      const name = deadLetterStream(stream);
      if (registry.state.streams.has(name)) return;
      const original = registry.state.streams.get(stream);
      await createStream(
        registry,
        log,
        {
          name,
          partitions: original?.partitions,
          retentionHours: original ? original.retentionHours : undefined,
          description: `Events of ${stream} that a consumer group gave up on`,
        },
        'streamgate',
      ).catch((error: unknown) => {
        if (!registry.state.streams.has(name)) throw error;
      });
    },
  });
  registerGroupMetrics(metrics.registry, groups, log);
  const services: GatewayServices = {
    registry,
    log,
    fanout,
    publishing,
    publishCursors: createPublishCursorSource({ endOffsets }),
    tokens,
    subscriptions,
    groups,
    filterLimits: options.filterLimits,
  };

  const sharedExecutions = options.sharedExecution === false ? undefined : createSharedExecutions();
  const routes = useGatewayRoutes({
    log,
    registry,
    fanout,
    drain,
    metrics,
    mayReadMetrics: createMetricsReaderCheck([options.metricsToken, options.adminToken]),
    endOffsets,
    requestLog,
    clientAddress,
    handleAsyncApi: createAsyncApiEndpoint({
      authenticator,
      state: () => registry.state,
      version: VERSION,
    }),
    handleEvents: createEventsEndpoint({
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
    }),
  });

  const yoga = createYoga<Record<string, unknown>>({
    schema: schemas.schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: YOGA_HEALTH_CHECK_OFF,
    landingPage: false,
    ...graphiqlSetup,
    context: (initial: Record<string, unknown>) => ({
      services,
      requestId: requestLog.requestIdOf(initial),
      lastEventId: lastEventIdOf(initial['request'] as Request | undefined),
    }),
    // One operation per request: a batch would multiply every limit below by its length.
    batching: false,
    // The largest publishBatch (its data, with room for the envelope attributes of each event).
    maxRequestBodySize: limits.maxBatchBytes + limits.maxBatchEvents * 2048,
    plugins: [
      requestLog.plugin,
      routes,
      // Before useLimits, so that it also counts what useLimits refuses.
      useMetrics(metrics),
      useLimits(options.operationLimits),
      useCurrentSchema((principal) => schemas.schemaFor(principal)),
      useAuth(authenticator, clientAddress),
      drain.plugin,
      // Before useSseResume: it records the results of members as of any subscription.
      ...(sharedExecutions ? [useSharedExecution(sharedExecutions)] : []),
      useSseResume(),
    ],
    // One error policy (error-policy.ts): contract codes pass, the rest is masked and logged.
    maskedErrors: {
      maskError: (error, message) =>
        clientErrorOf(error, (cause) => requestLog.unexpected(cause), message),
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
    onUnexpected: requestLog.unexpected,
    connectionLimits: options.connectionLimits,
    clientAddress,
  });

  function endToken(tokenId: string, why: 'revoked' | 'expired'): void {
    authenticator.invalidate(tokenId);
    subscriptions.endAll(tokenId, gatewayError('UNAUTHENTICATED', `the token was ${why}`));
    ws.closeToken(tokenId, `Token ${why}`);
  }
  registry.onChange((accepted) => {
    for (const record of accepted) if (record.kind === 'revocation') endToken(record.id, 'revoked');
  });

  const url = await listen(server, options.port ?? 4000, options.host ?? '0.0.0.0', logger);
  return {
    server,
    url,
    services,
    sharedExecution: sharedExecutions,
    close: () =>
      shutDownGateway({
        schemas,
        server,
        drain,
        fanout,
        groups,
        webSockets: ws,
        tokenExpiry: expiry,
        registry,
        log,
        logger,
        drainTimeoutMs: options.drainTimeoutMs ?? 5000,
      }),
  };
}
