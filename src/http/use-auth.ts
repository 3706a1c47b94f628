import type { Plugin } from 'graphql-yoga';
import type { Authenticator } from '../auth/authenticate.js';
import type { ClientAddressResolver } from '../auth/client-address.js';
import type { Principal } from '../auth/grants.js';

/** What the HTTP server context carries that authentication reads. */
interface AuthInitialContext {
  principal?: Principal;
  readonly request?: Request;
  readonly req?: { socket?: { remoteAddress?: string } };
}

/**
 * Decides the principal once per operation, at the edge, for HTTP and SSE alike (graphql-ws
 * authenticates at connection_init and passes the principal in). It is decided as soon as the
 * request's parameters are read, before the operation is parsed and validated, so that it is
 * validated against the schema the principal may see (use-current-schema). Unauthenticated
 * requests end here with UNAUTHENTICATED; nothing below ever sees an operation without a
 * principal.
 */
export function useAuth(
  authenticator: Authenticator,
  clientAddress: ClientAddressResolver = (peer) => peer,
): Plugin {
  const authenticate = (initial: AuthInitialContext, request: Request | undefined) =>
    authenticator.authenticate(
      authorizationOf(request),
      clientAddress(initial.req?.socket?.remoteAddress, request?.headers.get('x-forwarded-for')),
    );
  return {
    async onParams({ request, context }) {
      const initial = context as AuthInitialContext;
      initial.principal ??= await authenticate(initial, request);
    },
    async onContextBuilding({ context, extendContext }) {
      const initial = context as AuthInitialContext;
      if (initial.principal) return;
      extendContext({ principal: await authenticate(initial, initial.request) } as never);
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
