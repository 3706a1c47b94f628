import type { Plugin } from 'graphql-yoga';
import type { Authenticator } from '../auth/authenticate.js';
import type { ClientAddressResolver } from '../auth/client-address.js';
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
export function useAuth(
  authenticator: Authenticator,
  clientAddress: ClientAddressResolver = (peer) => peer,
): Plugin {
  return {
    async onContextBuilding({ context, extendContext }) {
      const initial = context as AuthInitialContext;
      if (initial.principal) return;
      const principal = await authenticator.authenticate(
        initial.request?.headers.get('authorization'),
        clientAddress(
          initial.req?.socket?.remoteAddress,
          initial.request?.headers.get('x-forwarded-for'),
        ),
      );
      extendContext({ principal } as never);
    },
  };
}
