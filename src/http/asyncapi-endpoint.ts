import type { Authenticator } from '../auth/authenticate.js';
import type { RegistryState } from '../registry/registry-state.js';
import { asyncApiDocument } from './asyncapi-document.js';

export interface AsyncApiEndpointOptions {
  readonly authenticator: Authenticator;
  /** The registry's state now (read on every request, so the document follows every change). */
  readonly state: () => RegistryState;
  /** `info.version` of the document. */
  readonly version: string;
}

/**
 * GET /asyncapi.json: the AsyncAPI 3.0 document of what the bearer token may see. Without a
 * valid token it throws UNAUTHENTICATED, answered as a problem like POST /events.
 */
export function createAsyncApiEndpoint(options: AsyncApiEndpointOptions) {
  return async function handleAsyncApi(
    request: Request,
    address: string | undefined,
  ): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    const principal = await options.authenticator.authenticate(
      request.headers.get('authorization'),
      address,
    );
    const url = new URL(request.url);
    // Behind a TLS-terminating proxy (Heroku's router, a load balancer) the client used https.
    const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
    const document = asyncApiDocument({
      state: options.state(),
      principal,
      origin: {
        host: request.headers.get('x-forwarded-host') ?? url.host,
        secure: (forwarded ?? url.protocol.replace(':', '')) === 'https',
      },
      version: options.version,
    });
    return Response.json(document, {
      // Per token, and it changes with the registry: never shared, never reused.
      headers: { 'cache-control': 'private, no-store', vary: 'authorization' },
    });
  };
}
