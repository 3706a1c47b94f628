import type { Plugin } from 'graphql-yoga';
import type { ClientAddressResolver } from '../auth/client-address.js';
import { gatewayError } from '../errors.js';
import type { StoredEvent } from '../events/envelope.js';
import type { Fanout } from '../fanout/fanout.js';
import type { EventLog } from '../log/event-log.js';
import type { Registry } from '../registry/registry.js';
import type { EndOffsetsCache } from '../log/end-offsets.js';
import { judgeError } from './error-policy.js';
import type { GatewayMetrics } from './metrics.js';
import { problemResponse } from './problem.js';
import type { Drain } from './shutdown.js';
import type { RequestLog } from './use-request-log.js';

/**
 * Yoga's own health check answers any URL that ends with its endpoint, with an empty 200, before
 * any plugin of ours runs; it cannot be turned off. A request URL never ends with a space (the URL
 * parser encodes or trims it), so this endpoint disables it and `/health` is answered below.
 */
export const YOGA_HEALTH_CHECK_OFF = ' ';

export interface GatewayRoutesOptions {
  readonly log: EventLog;
  readonly registry: Registry;
  readonly fanout: Fanout<StoredEvent>;
  readonly drain: Drain;
  readonly metrics: GatewayMetrics;
  /** Whether a request's Authorization header may read /metrics (metrics-access.ts). */
  readonly mayReadMetrics: (authorization: string | null) => boolean;
  /** The gateway's one cache of end offsets (shared with publish cursors). */
  readonly endOffsets: EndOffsetsCache;
  /** `POST /events`; throws a contract error (or an unexpected one) to refuse. */
  readonly handleEvents: (request: Request, remoteAddress: string | undefined) => Promise<Response>;
  /** `GET /asyncapi.json`: the AsyncAPI document of what the token may see. */
  readonly handleAsyncApi: (
    request: Request,
    remoteAddress: string | undefined,
  ) => Promise<Response>;
  /** Logs an error no contract code explains, with the request's id; the client sees it masked. */
  readonly requestLog: Pick<RequestLog, 'requestIdOf' | 'unexpected'>;
  /** The client's address of a request (trusted proxies). @default the peer's address */
  readonly clientAddress?: ClientAddressResolver;
}

/** The gateway's routes beside `/graphql`: health, readiness, metrics, AsyncAPI and CloudEvents. */
export function useGatewayRoutes(options: GatewayRoutesOptions): Plugin {
  const { log, registry, fanout, drain, metrics } = options;
  const clientAddress = options.clientAddress ?? ((peer) => peer);
  const remoteAddressOf = (request: Request, serverContext: unknown) =>
    clientAddress(peerAddressOf(serverContext), request.headers.get('x-forwarded-for'));

  async function readiness(): Promise<Response> {
    if (drain.draining) {
      return Response.json({ status: 'unavailable', reason: 'shutting down' }, { status: 503 });
    }
    const damage = log.damage();
    const reason = !(await log.healthy())
      ? 'the event log cannot be reached'
      : !registry.loaded
        ? 'the registry is loading'
        : damage.length > 0
          ? 'the embedded log found damaged records at start-up and set them aside; see damage'
          : undefined;
    if (reason === undefined) return Response.json({ status: 'ready' });
    return Response.json(
      { status: 'unavailable', reason, ...(damage.length > 0 ? { damage } : {}) },
      { status: 503 },
    );
  }

  async function prometheus(): Promise<Response> {
    const stats = fanout.stats();
    metrics.refresh(stats, await options.endOffsets.recent(stats.tailPositions.keys()));
    return new Response(await metrics.registry.metrics(), {
      headers: { 'content-type': metrics.registry.contentType },
    });
  }

  /** The problem+json answer for a failed route, its unexpected cause logged with the request id. */
  const problem = (error: unknown, serverContext: unknown) =>
    problemResponse(error, (cause) =>
      options.requestLog.unexpected(
        cause,
        options.requestLog.requestIdOf((serverContext ?? {}) as Record<string, unknown>),
      ),
    );

  async function asyncApi(request: Request, serverContext: unknown): Promise<Response> {
    try {
      return await options.handleAsyncApi(request, remoteAddressOf(request, serverContext));
    } catch (error) {
      return problem(error, serverContext);
    }
  }

  async function cloudEvents(request: Request, serverContext: unknown): Promise<Response> {
    try {
      return await options.handleEvents(request, remoteAddressOf(request, serverContext));
    } catch (error) {
      const verdict = judgeError(error);
      if (verdict.kind === 'contract') metrics.rejections.inc({ code: verdict.code });
      return problem(error, serverContext);
    }
  }

  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      switch (url.pathname) {
        case '/health':
          // Liveness: answers while the process serves, draining or not.
          return endResponse(Response.json({ status: 'ok' }));
        case '/ready':
          return endResponse(await readiness());
        case '/metrics':
          // Stream names, rates and lags are the operator's business, not every client's.
          if (!options.mayReadMetrics(request.headers.get('authorization'))) {
            return endResponse(
              problem(
                gatewayError(
                  'UNAUTHENTICATED',
                  '/metrics needs the metrics token or the admin token',
                ),
                serverContext,
              ),
            );
          }
          return endResponse(await prometheus());
        case '/asyncapi.json':
          return endResponse(await asyncApi(request, serverContext));
        case '/events':
          return endResponse(await cloudEvents(request, serverContext));
      }
    },
  };
}

/** The peer's address, from the node:http request Yoga puts in the server context. */
function peerAddressOf(serverContext: unknown): string | undefined {
  return (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket
    ?.remoteAddress;
}
