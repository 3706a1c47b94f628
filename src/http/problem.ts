import { GraphQLError } from 'graphql';
import { ErrorCode, errorCodeOf } from '../errors.js';

/**
 * An error as `application/problem+json` (RFC 9457) with the contract's code and HTTP status;
 * anything not made by `gatewayError` is masked, as GraphQL errors are.
 */
export function problemResponse(error: unknown, onUnexpected: (error: unknown) => void): Response {
  const code = errorCodeOf(error);
  if (!code || !(error instanceof GraphQLError)) {
    onUnexpected(error);
    return json(
      {
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'Unexpected error.',
      },
      500,
    );
  }
  const status = ErrorCode[code];
  const { http: _http, code: _code, ...extensions } = error.extensions as Record<string, unknown>;
  const headers: Record<string, string> = {};
  const retryAfter = extensions['retryAfterSeconds'];
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  else if (code === 'UNAVAILABLE') headers['retry-after'] = '1';
  return json(
    { type: 'about:blank', title: code, status, detail: error.message, code, ...extensions },
    status,
    headers,
  );
}

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}
