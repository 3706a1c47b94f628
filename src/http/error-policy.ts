import { GraphQLError } from 'graphql';
import { errorCodeOf, type ErrorCode } from '../errors.js';
import { toClientError } from '../events/publisher.js';
import { LogError } from '../log/event-log.js';
import { asBadUserInput } from './use-limits.js';

/** The message of every masked error. */
export const UNEXPECTED_ERROR_MESSAGE = 'Unexpected error.';

/**
 * What the client is told of an error, the same over HTTP, SSE, graphql-ws and `POST /events`:
 * - `contract`: an error with a contract code (shared/API.md) passes through as it is; an event
 *   log failure is given its code here (UNAVAILABLE when Kafka cannot be reached).
 * - `request`: graphql-js or Yoga refused the request before anything ran (syntax, validation,
 *   a variable of the wrong type, an unknown operation): the client's mistake, BAD_USER_INPUT.
 * - `unexpected`: anything else, including graphql-js refusing the server's own data as output
 *   ("Enum X cannot represent value"): masked as "Unexpected error." and logged once with its
 *   cause and request id.
 */
export type ErrorVerdict =
  | { readonly kind: 'contract'; readonly code: ErrorCode; readonly error: GraphQLError }
  | { readonly kind: 'request'; readonly error: GraphQLError }
  | { readonly kind: 'unexpected'; readonly cause: unknown };

export function judgeError(error: unknown): ErrorVerdict {
  const code = errorCodeOf(error);
  if (code) return { kind: 'contract', code, error: error as GraphQLError };
  const logFailure = logErrorIn(error);
  if (logFailure) {
    const clientError = toClientError(logFailure);
    const logCode = errorCodeOf(clientError);
    if (logCode) {
      return { kind: 'contract', code: logCode, error: locatedLike(clientError, error) };
    }
  }
  // Errors of execution carry the path of the field; refusals of the request itself do not.
  // A GraphQLError wrapping a GraphQLError without a path is graphql-js's coercion of a
  // variable; with a path, a field's resolver or output coercion failed on the server's side.
  if (error instanceof GraphQLError && error.path === undefined) {
    const original = error.originalError;
    if (original === undefined || original instanceof GraphQLError) {
      return { kind: 'request', error };
    }
  }
  return { kind: 'unexpected', cause: causeOf(error) };
}

/**
 * The error the client sees, by the verdict of `judgeError`; `onUnexpected` is handed the cause of
 * a masked one, to log.
 */
export function clientErrorOf(
  error: unknown,
  onUnexpected: (cause: unknown) => void,
  message: string = UNEXPECTED_ERROR_MESSAGE,
): GraphQLError {
  const verdict = judgeError(error);
  switch (verdict.kind) {
    case 'contract':
      return verdict.error;
    case 'request':
      return asBadUserInput(verdict.error);
    case 'unexpected':
      onUnexpected(verdict.cause);
      // A GraphQLError (a plain Error would reach the client as `{}`), at the error's place.
      return error instanceof GraphQLError
        ? new GraphQLError(message, {
            ...(error.nodes ? { nodes: error.nodes } : {}),
            ...(error.path ? { path: error.path } : {}),
          })
        : new GraphQLError(message);
  }
}

/** What was thrown, under graphql-js's located wrapper: the error to log. */
export function causeOf(error: unknown): unknown {
  if (error instanceof GraphQLError && error.originalError) return error.originalError;
  return error;
}

/** A LogError anywhere in the chain of `originalError`s and `cause`s. */
function logErrorIn(error: unknown): LogError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof LogError) return current;
    current =
      current instanceof GraphQLError
        ? current.originalError
        : (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `clientError` at the place in the result where `located` happened. */
function locatedLike(clientError: Error, located: unknown): GraphQLError {
  const from = located instanceof GraphQLError ? located : undefined;
  const extensions = clientError instanceof GraphQLError ? clientError.extensions : {};
  return new GraphQLError(clientError.message, {
    ...(from?.nodes ? { nodes: from.nodes } : {}),
    ...(from?.path ? { path: from.path } : {}),
    originalError: clientError,
    extensions,
  });
}
