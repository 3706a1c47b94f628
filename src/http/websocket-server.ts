import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticator } from '../auth/authenticate.js';
import { throttleKeyOf, type ClientAddressResolver } from '../auth/client-address.js';
import type { Principal } from '../auth/grants.js';
import type { SubscriptionTracker } from '../auth/subscription-tracker.js';
import {
  createTokenSession,
  type SubscriptionScope,
  type TokenSession,
} from '../auth/token-session.js';
import type { GatewayContext } from '../graphql/context.js';
import { subscriptionScope } from '../graphql/operation-streams.js';
import { clientErrorOf } from './error-policy.js';
import {
  createConnectionLimits,
  defaultConnectionLimits,
  type ConnectionLimitsOptions,
} from './connection-limits.js';
import { HandshakeGate } from './handshake-gate.js';
import { FanoutSocket, flushHeldWrites, sharedPayloadOnNext } from './use-shared-execution.js';

/** The longest a WebSocket handshake keeps its turn before its first operation (handshake-gate.ts). */
const HANDSHAKE_HOLD_MS = 1_000;

export interface WebSocketOptions {
  readonly server: Server;
  readonly yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  readonly authenticator: Authenticator;
  /** @default '/graphql' */
  readonly path?: string;
  /** Largest message a client may send. @default 1048576 */
  readonly maxPayloadBytes?: number;
  readonly onConnectionChange?: (delta: 1 | -1) => void;
  /**
   * Called when a socket authenticates; the returned release is called when it closes. The
   * gateway watches the token's expiry with it. @default undefined (nothing watched)
   */
  readonly holdToken?: (principal: Principal) => () => void;
  /**
   * Where subscriptions are counted per token. Given, a connection may renew its token
   * (`authenticate`), and its subscriptions move to the new token. @default undefined (no renewal)
   */
  readonly subscriptions?: SubscriptionTracker;
  /**
   * Logs the cause of an error the client sees masked (error-policy.ts), with the operation's
   * request id. @default undefined (not logged)
   */
  readonly onUnexpected?: (cause: unknown, requestId: string) => void;
  /** Caps per token and address, idle timeout, ping. @default defaultConnectionLimits */
  readonly connectionLimits?: Partial<ConnectionLimitsOptions>;
  /** The client's address of an upgrade request (trusted proxies). @default the peer's address */
  readonly clientAddress?: ClientAddressResolver;
}

export interface GraphqlWsServer {
  /** Closes every socket authenticated by the token with 4403 (revoked or expired). */
  closeToken(tokenId: string, reason: string): void;
  close(): Promise<void>;
}

type Extra = {
  principal?: Principal;
  session?: TokenSession;
  abort?: AbortController;
  releaseToken?: () => void;
};

/**
 * GraphQL over WebSocket (graphql-transport-ws) on the HTTP server's port and path, through
 * yoga.getEnveloped so that WebSocket, HTTP and SSE share one plugin pipeline and context.
 * The token is checked at connection_init; a socket without a valid one closes with 4403.
 */
export function attachGraphqlWs(options: WebSocketOptions): GraphqlWsServer {
  const { yoga, authenticator } = options;
  const wss = new WebSocketServer({
    noServer: true,
    path: options.path ?? '/graphql',
    maxPayload: options.maxPayloadBytes ?? 1 << 20,
    // Sends a group's shared JSON as is, and coalesces writes (use-shared-execution.ts).
    WebSocket: FanoutSocket,
  });
  const limits = createConnectionLimits(options.connectionLimits);
  const { handshakeConcurrency } = { ...defaultConnectionLimits, ...options.connectionLimits };
  const gate = new HandshakeGate(handshakeConcurrency, HANDSHAKE_HOLD_MS);
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    flushHeldWrites();
    gate.admit(socket, (done) => {
      // Let go once called: a socket lives for hours, its handshake's turn only for a moment.
      const release = () => {
        socket.off('close', release);
        done();
      };
      socket.once('close', release);
      wss.handleUpgrade(request, socket, head, (webSocket) => {
        (webSocket as FanoutSocket).handshakeDone = release;
        wss.emit('connection', webSocket, request);
      });
    });
  };
  options.server.on('upgrade', onUpgrade);
  const clientAddress = options.clientAddress ?? ((peer) => peer);
  const addressOf = (request: Pick<IncomingMessage, 'headers' | 'socket'>) =>
    clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for']);
  // Before graphql-ws sees the socket: an address over its cap is closed at once.
  wss.on('connection', (socket, request) => {
    // The upgrade request's socket is the one the WebSocket runs on: its writes are coalesced.
    (socket as FanoutSocket).connection = request.socket;
    // Before graphql-ws handles the message (its listener comes after this one).
    socket.on('message', flushHeldWrites);
    limits.admitAddress(socket, throttleKeyOf(addressOf(request)));
  });
  const socketsByToken = new Map<string, Set<WebSocket>>();
  const holdSocket = (principal: Principal, socket: WebSocket) => {
    if (!principal.tokenId) return;
    let sockets = socketsByToken.get(principal.tokenId);
    if (!sockets) socketsByToken.set(principal.tokenId, (sockets = new Set()));
    sockets.add(socket);
  };
  const releaseSocket = (principal: Principal, socket: WebSocket) => {
    if (!principal.tokenId) return;
    const sockets = socketsByToken.get(principal.tokenId);
    sockets?.delete(socket);
    if (sockets?.size === 0) socketsByToken.delete(principal.tokenId);
  };

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      async onConnect(ctx) {
        const authorization = ctx.connectionParams?.['authorization'];
        const address = addressOf(ctx.extra.request);
        try {
          const principal = await authenticator.authenticate(
            typeof authorization === 'string' ? authorization : undefined,
            address,
          );
          const busy = () => Object.keys(ctx.subscriptions).length > 0;
          if (!limits.admitToken(ctx.extra.socket, principal.tokenId ?? undefined, busy))
            return false;
          ctx.extra.principal = principal;
          // graphql-ws keeps the upgrade request for the socket's life, with its headers, stream
          // state and buffers; operations read only its request id and address from it.
          (ctx.extra as { request: unknown }).request = slimRequest(ctx.extra.request, address);
          ctx.extra.abort = new AbortController();
          ctx.extra.releaseToken = options.holdToken?.(principal);
          holdSocket(principal, ctx.extra.socket);
          if (options.subscriptions) {
            ctx.extra.session = createTokenSession({
              principal,
              tracker: options.subscriptions,
              authenticate: (renewal) => authenticator.authenticate(renewal, address),
              onRenewed(previous, next) {
                // The socket closes with the token that holds it now, on revocation or expiry.
                ctx.extra.principal = next;
                releaseSocket(previous, ctx.extra.socket);
                limits.moveToken(ctx.extra.socket, next.tokenId ?? undefined);
                holdSocket(next, ctx.extra.socket);
                ctx.extra.releaseToken?.();
                ctx.extra.releaseToken = options.holdToken?.(next);
              },
            });
          }
          options.onConnectionChange?.(1);
          return true;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      onClose(ctx) {
        const { principal, abort } = ctx.extra;
        if (!principal) return;
        abort?.abort();
        ctx.extra.releaseToken?.();
        options.onConnectionChange?.(-1);
        releaseSocket(principal, ctx.extra.socket);
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      onNext: sharedPayloadOnNext,
      async onSubscribe(ctx, _id, payload) {
        // The handshake is through: the next one may start (handshake-gate.ts).
        const socket = ctx.extra.socket as FanoutSocket;
        socket.handshakeDone?.();
        socket.handshakeDone = undefined;
        // Each operation on a socket is a request of its own (use-request-log.ts).
        const requestId = randomUUID();
        const unexpected = (cause: unknown) => options.onUnexpected?.(cause, requestId);
        try {
          const enveloped = yoga.getEnveloped({
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params: payload,
            principal: ctx.extra.principal,
            signal: ctx.extra.abort?.signal,
            requestId,
          });
          // A syntax error is thrown, and refused below as the client's mistake.
          const document = enveloped.parse(payload.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0)
            return errors.map((error: GraphQLError) => clientErrorOf(error, unexpected));
          const args: ExecutionArgs = {
            schema: enveloped.schema,
            operationName: payload.operationName ?? null,
            document,
            variableValues: payload.variables ?? null,
            contextValue: withTokenSession(
              await enveloped.contextFactory(),
              ctx.extra.session,
              subscriptionScope(
                enveloped.schema,
                document,
                payload.operationName,
                payload.variables,
              ),
            ),
            rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
          };
          return args;
        } catch (error) {
          // Refused with an error message for this operation, under the one error policy;
          // graphql-ws would close the whole socket with the error's message as its reason.
          return [clientErrorOf(error, unexpected)];
        }
      },
    },
    wss,
    options.connectionLimits?.pingIntervalMs ?? defaultConnectionLimits.pingIntervalMs,
  );
  // The HTTP server's errors reach `wss` too: accept failures (EMFILE under a connection flood),
  // which pass. graphql-ws would close every socket on the first and leave the next unhandled,
  // which crashes the process; create-gateway logs them on the HTTP server instead.
  wss.removeAllListeners('error');
  wss.on('error', () => undefined);

  return {
    closeToken(tokenId, reason) {
      const sockets = [...(socketsByToken.get(tokenId) ?? [])];
      // After the subscriptions ended by the same revocation or expiry have sent their
      // UNAUTHENTICATED error: closing at once would cut those messages off.
      setImmediate(() => {
        for (const socket of sockets) socket.close(CloseCode.Forbidden, reason);
      });
    },
    async close() {
      options.server.off('upgrade', onUpgrade);
      limits.close();
      for (const socket of wss.clients) socket.close(1001, 'Going away');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** What operations on a socket read of its upgrade request (use-request-log.ts, use-auth.ts). */
function slimRequest(
  request: IncomingMessage,
  clientAddress: string | undefined,
): Pick<IncomingMessage, 'headers'> & {
  socket: { remoteAddress: string | undefined };
} {
  const requestId = request.headers['x-request-id'];
  return {
    headers: requestId === undefined ? {} : { 'x-request-id': requestId },
    socket: { remoteAddress: clientAddress },
  };
}

/**
 * The operation's context with the connection's token session: its subscriptions are counted
 * through the session, so that a renewal moves or ends them, and `authenticate` reaches it.
 * The context object is kept (plugins may know it by identity), only its fields are set.
 */
function withTokenSession(
  context: unknown,
  session: TokenSession | undefined,
  scope: SubscriptionScope | undefined,
): unknown {
  if (!session) return context;
  const gatewayContext = context as { -readonly [K in keyof GatewayContext]: GatewayContext[K] };
  gatewayContext.tokenSession = session;
  gatewayContext.services = {
    ...gatewayContext.services,
    subscriptions: session.trackerFor(scope),
  };
  return context;
}

interface Enveloped {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}
