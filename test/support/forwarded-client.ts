import type { GatewayProcess } from './gateway-process.js';

export interface MeAnswer {
  readonly status: number;
  /** The first error's code, or 'OK'. */
  readonly code: string;
  readonly body: { data?: any; errors?: any[] };
}

/**
 * `{ me { name } }` with a token, as a load balancer the gateway trusts (the test client on
 * 127.0.0.1, with GATEWAY_TRUSTED_PROXIES) forwards it for `client` (X-Forwarded-For): how the
 * failed-authentication throttle is met from many client addresses on one machine.
 */
export async function meFrom(
  gateway: GatewayProcess,
  token: string,
  client?: string,
): Promise<MeAnswer> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(client ? { 'x-forwarded-for': client } : {}),
    },
    body: JSON.stringify({ query: '{ me { name } }' }),
  });
  const body = (await response.json()) as MeAnswer['body'];
  return { status: response.status, code: body.errors?.[0]?.extensions?.code ?? 'OK', body };
}
