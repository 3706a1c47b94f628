import { GraphQLError } from 'graphql';

/** The error codes of the public contract (shared/API.md), with the HTTP status of each. */
export const ErrorCode = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  VALIDATION_FAILED: 422,
  INCOMPATIBLE_SCHEMA: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  CURSOR_EXPIRED: 400,
} as const;
export type ErrorCode = keyof typeof ErrorCode;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorCode, value);
}

/**
 * The one way to make an error a client sees: a GraphQLError whose `extensions.code` is a
 * contract code. Anything else thrown is masked by Yoga ("Unexpected error.") and logged.
 */
export function gatewayError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { ...extensions, code, http: { status: ErrorCode[code] } },
  });
}

/** The contract code of an error made by `gatewayError`, if it is one. */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  if (error instanceof GraphQLError) {
    const code = error.extensions['code'];
    if (isErrorCode(code)) return code;
    if (error.originalError) return errorCodeOf(error.originalError);
  }
  return undefined;
}
