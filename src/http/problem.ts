import { ErrorCode } from '../errors.js';
import { judgeError, UNEXPECTED_ERROR_MESSAGE } from './error-policy.js';

/**
 * An error as `application/problem+json` (RFC 9457) with the contract's code and HTTP status,
 * under the policy GraphQL errors follow (error-policy.ts): what has no contract code is masked,
 * and its cause handed to `onUnexpected` to log.
 */
export function problemResponse(error: unknown, onUnexpected: (cause: unknown) => void): Response {
  const verdict = judgeError(error);
  if (verdict.kind !== 'contract') {
    onUnexpected(verdict.kind === 'unexpected' ? verdict.cause : error);
    return json(
      {
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: UNEXPECTED_ERROR_MESSAGE,
      },
      500,
    );
  }
  const { code, error: contractError } = verdict;
  const status = ErrorCode[code];
  const { http: _http, code: _code, ...extensions } = contractError.extensions;
  const headers: Record<string, string> = {};
  const retryAfter = extensions['retryAfterSeconds'];
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  else if (code === 'UNAVAILABLE') headers['retry-after'] = '1';
  return json(
    {
      type: 'about:blank',
      title: code,
      status,
      detail: contractError.message,
      code,
      ...extensions,
    },
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
