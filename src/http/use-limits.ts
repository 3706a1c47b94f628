import type { ServerOptions } from 'node:http';
import { getOperationAST, GraphQLError, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../errors.js';
import { exceedsJsonBytes } from '../events/json-size.js';
import {
  badUserInput,
  defaultOperationLimits,
  exceededLimits,
  exceedsValueDepth,
  limitError,
  type OperationLimits,
} from './operation-limits.js';

export { defaultOperationLimits, type OperationLimits } from './operation-limits.js';

/** Limits of the HTTP server itself, against clients that are slow or send too much. */
export interface HttpServerLimits {
  /** Bytes of all request headers (node's `maxHeaderSize`); more is answered 431. @default 16384 */
  readonly maxHeaderBytes: number;
  /** A client must send all headers within this, or gets 408 and is disconnected. @default 10000 */
  readonly headersTimeoutMs: number;
  /** A client must send the whole request (body included) within this. @default 30000 */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. @default 5000 */
  readonly keepAliveTimeoutMs: number;
}

export const defaultHttpServerLimits: HttpServerLimits = Object.freeze({
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5000,
});

/** `createServer` options enforcing the limits (node checks the timeouts on an interval). */
export function httpServerOptions(limits: HttpServerLimits): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node's default of 30 s would let a stalled client hold its socket that much past the timeout.
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs, limits.requestTimeoutMs),
  };
}

/**
 * Refuses documents too large to parse cheaply and operations too deep, wide or aliased to
 * execute cheaply, before anything runs: over HTTP, SSE and graphql-ws alike (all parse and
 * validate through the envelop pipeline). Syntax errors get the contract's BAD_USER_INPUT code.
 */
export function useLimits(overrides: Partial<OperationLimits> = {}): Plugin {
  const limits: OperationLimits = { ...defaultOperationLimits, ...overrides };
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        const text = typeof source === 'string' ? source : source.body;
        if (text.length > limits.maxDocumentChars) {
          throw limitError(
            `the document has ${text.length} characters; the limit is ${limits.maxDocumentChars}`,
          );
        }
        try {
          return parse(source, { ...options, maxTokens: limits.maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError) throw asBadUserInput(error);
          // graphql-js parses nested literals recursively; maxTokens still allows thousands of levels.
          if (error instanceof RangeError)
            throw limitError('the document is nested too deeply to parse');
          throw error;
        }
      });
    },
    onValidate({ params, setResult }) {
      // Measured before the standard rules run: some of them cost quadratic time in the size of
      // the document, which the limits keep small.
      const over = exceededLimits(params.documentAST, limits);
      if (over.length > 0) return setResult(over);
      // Before Yoga's own hook, which would give them GRAPHQL_VALIDATION_FAILED (not a contract code).
      return ({ result }) => {
        for (const error of result as GraphQLError[]) {
          if (error.extensions['code'] === undefined) Object.assign(error.extensions, badUserInput);
        }
      };
    },
    // Variables reach resolvers, filters and JSON.stringify as they are: their depth is
    // checked before execution, for HTTP, SSE and graphql-ws alike.
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName)?.operation;
      const refused =
        deepVariables(args.variableValues, limits) ??
        (operation === 'mutation' ? undefined : largeVariables(args.variableValues, limits));
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused =
        deepVariables(args.variableValues, limits) ?? largeVariables(args.variableValues, limits);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    onResultProcess({ result }) {
      // Refusals of Yoga's HTTP layer (invalid JSON, a batch, a body over maxRequestBodySize)
      // in the contract's terms; the HTTP status stays.
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      for (const error of result.errors ?? []) {
        const contractCode = yogaCodes[String(error.extensions?.['code'])];
        if (contractCode) Object.assign(error.extensions ?? {}, { code: contractCode });
      }
    },
  };
}

function deepVariables(variables: unknown, limits: OperationLimits): GraphQLError | undefined {
  if (!exceedsValueDepth(variables, limits.maxValueDepth + 1)) return undefined;
  return limitError(
    `a variable is nested more than ${limits.maxValueDepth} levels deep; that is the limit`,
  );
}

function largeVariables(variables: unknown, limits: OperationLimits): GraphQLError | undefined {
  if (!exceedsJsonBytes(variables, limits.maxVariablesBytes)) return undefined;
  return limitError(
    `the variables are over ${limits.maxVariablesBytes} bytes of JSON; that is the limit for a query or subscription`,
  );
}

/** Codes of Yoga's own refusals, and the contract's code for each. */
const yogaCodes: Readonly<Record<string, ErrorCode>> = {
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  REQUEST_ENTITY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
};

/**
 * A refusal by graphql-js (syntax, validation, variable coercion: no code) or by Yoga (its own
 * codes) with the contract's code instead; the HTTP status stays. Other errors are returned as
 * they are.
 */
export function asBadUserInput(error: GraphQLError): GraphQLError {
  const code = error.extensions['code'];
  if (code !== undefined) {
    const contractCode = yogaCodes[String(code)];
    if (contractCode === undefined) return error;
    return new GraphQLError(error.message, {
      ...(error.nodes ? { nodes: error.nodes } : {}),
      ...(error.path ? { path: error.path } : {}),
      ...(error.originalError ? { originalError: error.originalError } : {}),
      extensions: { ...error.extensions, code: contractCode },
    });
  }
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: { ...error.extensions, ...badUserInput },
  });
}
