import type { Plugin } from 'graphql-yoga';
import type { Authenticator } from '../auth/authenticate.js';
import type { Principal } from '../auth/grants.js';

/** What the HTTP server context carries that authentication reads. */
interface AuthInitialContext {
  readonly principal?: Principal;
  readonly request?: Request;
  readonly req?: { socket?: { remoteAddress?: string } };
}

/**
 * Decides the principal once per operation, at the edge, for HTTP and SSE alike (graphql-ws
 * authenticates at connection_init and passes the principal in). Unauthenticated requests end
 * here with UNAUTHENTICATED; nothing below ever sees an operation without a principal.
 */
export function useAuth(authenticator: Authenticator): Plugin {
  return {
    async onContextBuilding({ context, extendContext }) {
      const initial = context as AuthInitialContext;
      if (initial.principal) return;
      const principal = await authenticator.authenticate(
        authorizationOf(initial.request),
        initial.req?.socket?.remoteAddress,
      );
      extendContext({ principal } as never);
    },
  };
}

/**
 * The request's `Authorization`; for an SSE GET without one, the `access_token` query parameter
 * as a bearer token (RFC 6750, section 2.3): a browser's EventSource cannot send headers. The
 * request log records paths only, so the token is not logged with the URL.
 */
function authorizationOf(request: Request | undefined): string | null | undefined {
  const header = request?.headers.get('authorization');
  if (header || !request || request.method !== 'GET') return header;
  if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) return header;
  const token = new URL(request.url).searchParams.get('access_token');
  return token ? `Bearer ${token}` : header;
}
