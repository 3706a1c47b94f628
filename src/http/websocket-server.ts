import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticator } from '../auth/authenticate.js';
import type { Principal } from '../auth/grants.js';
import { FanoutSocket, sharedPayloadOnNext } from './use-shared-execution.js';

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
}

export interface GraphqlWsServer {
  /** Closes every socket authenticated by the token with 4403 (revoked or expired). */
  closeToken(tokenId: string, reason: string): void;
  close(): Promise<void>;
}

type Extra = {
  principal?: Principal;
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
    server: options.server,
    path: options.path ?? '/graphql',
    maxPayload: options.maxPayloadBytes ?? 1 << 20,
    // Sends a group's shared JSON as is, and coalesces writes (use-shared-execution.ts).
    WebSocket: FanoutSocket,
  });
  const socketsByToken = new Map<string, Set<WebSocket>>();

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      async onConnect(ctx) {
        const authorization = ctx.connectionParams?.['authorization'];
        try {
          const principal = await authenticator.authenticate(
            typeof authorization === 'string' ? authorization : undefined,
            ctx.extra.request.socket.remoteAddress,
          );
          ctx.extra.principal = principal;
          // graphql-ws keeps the upgrade request for the socket's life, with its headers, stream
          // state and buffers; operations read only its request id and address from it.
          (ctx.extra as { request: unknown }).request = slimRequest(ctx.extra.request);
          ctx.extra.abort = new AbortController();
          ctx.extra.releaseToken = options.holdToken?.(principal);
          if (principal.tokenId) {
            let sockets = socketsByToken.get(principal.tokenId);
            if (!sockets) socketsByToken.set(principal.tokenId, (sockets = new Set()));
            sockets.add(ctx.extra.socket);
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
        if (principal.tokenId) {
          const sockets = socketsByToken.get(principal.tokenId);
          sockets?.delete(ctx.extra.socket);
          if (sockets?.size === 0) socketsByToken.delete(principal.tokenId);
        }
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      onNext: sharedPayloadOnNext,
      async onSubscribe(ctx, _id, payload) {
        const enveloped = yoga.getEnveloped({
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          principal: ctx.extra.principal,
          signal: ctx.extra.abort?.signal,
        });
        let document;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          return [
            error instanceof GraphQLError ? error : new GraphQLError('Syntax error in the query'),
          ];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
        return args;
      },
    },
    wss,
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
      for (const socket of wss.clients) socket.close(1001, 'Going away');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** What operations on a socket read of its upgrade request (use-request-log.ts, use-auth.ts). */
function slimRequest(request: IncomingMessage): Pick<IncomingMessage, 'headers'> & {
  socket: { remoteAddress: string | undefined };
} {
  const requestId = request.headers['x-request-id'];
  return {
    headers: requestId === undefined ? {} : { 'x-request-id': requestId },
    socket: { remoteAddress: request.socket.remoteAddress },
  };
}

interface Enveloped {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}
