import { GraphQLError } from 'graphql';
import { errorCodeOf } from '../errors.js';
import { asBadUserInput } from './use-limits.js';

/**
 * What a client sees of an error: a contract code passes through; anything else is masked
 * (`message`, "Unexpected error.") and handed to `onUnexpected` to be logged.
 */
export function createMaskError(
  onUnexpected: (error: unknown) => void,
): (error: unknown, message: string) => Error {
  return (error, message) => {
    if (errorCodeOf(error)) return error as Error;
    const original = (error as { originalError?: unknown }).originalError;
    if (original && errorCodeOf(original)) return original as Error;
    // Refusals of graphql-js (a variable of the wrong type) and of Yoga (an unknown
    // operationName): the client's mistake, given the contract's code.
    if (
      error instanceof GraphQLError &&
      (original === undefined || original instanceof GraphQLError)
    ) {
      return asBadUserInput(error);
    }
    if (original === undefined && (error as { extensions?: { code?: unknown } }).extensions?.code)
      return error as Error;
    onUnexpected(original ?? error);
    // A GraphQLError: a plain Error would reach the client as `{}`.
    return new GraphQLError(message);
  };
}
