import { randomUUID } from 'node:crypto';
import { GraphQLError, getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { judgeError } from './error-policy.js';
import type { Logger } from '../logger.js';

/** A client's own `x-request-id` is kept when it looks like an id (it ends up in every log line). */
const CLIENT_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** What the HTTP server and graphql-ws put in the initial GraphQL context. */
interface InitialContext {
  readonly req?: object & { headers?: Record<string, string | string[] | undefined> };
  /** Set by graphql-ws only: each operation on a socket is a request of its own. */
  readonly socket?: unknown;
  readonly requestId?: string;
  readonly principal?: { readonly name?: string; readonly tokenId?: string | null };
}

export interface RequestLog {
  /** Logs HTTP requests and GraphQL operations, each line with its request id. */
  readonly plugin: Plugin;
  /**
   * The id of the request (or graphql-ws operation) a GraphQL context belongs to: the client's
   * `x-request-id` when it gave a sensible one, else a new UUID. Echoed in `x-request-id`.
   */
  requestIdOf(context: Readonly<Record<string, unknown>>): string;
  /**
   * Logs an unexpected error (the client sees it masked) with its cause and request id, once:
   * the same error met again, on its way to the client, is not logged again.
   */
  unexpected(cause: unknown, requestId?: string): void;
}

/**
 * Structured logs per request: an access line per HTTP request and a line per GraphQL
 * operation (debug), subscription start and end (info), unexpected errors with their cause
 * (error). Every line carries `requestId`; nothing logged holds a header, a variable or a token.
 */
export function createRequestLog(logger: Logger): RequestLog {
  const idsByRequest = new WeakMap<object, string>();
  const started = new WeakMap<object, number>();
  const reported = new WeakSet<object>();

  function httpRequestId(req: NonNullable<InitialContext['req']>): string {
    let id = idsByRequest.get(req);
    if (id === undefined) {
      const given = req.headers?.['x-request-id'];
      id = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
      idsByRequest.set(req, id);
    }
    return id;
  }

  function requestIdOf(context: Readonly<Record<string, unknown>>): string {
    const initial = context as InitialContext;
    if (typeof initial.requestId === 'string') return initial.requestId;
    if (initial.socket !== undefined || !initial.req) return randomUUID();
    return httpRequestId(initial.req);
  }

  function operationLogger(
    context: unknown,
    document: DocumentNode,
    operationName: string | null | undefined,
  ): Logger {
    return logger.child(operationBindings(context, document, operationName));
  }

  /** What every line of an operation carries (plain fields: cheaper to hold than a child logger). */
  function operationBindings(
    context: unknown,
    document: DocumentNode,
    operationName: string | null | undefined,
  ): Record<string, string> {
    const initial = (context ?? {}) as InitialContext;
    // The client may leave operationName out when the document holds one operation.
    const operation = getOperationAST(document, operationName);
    const name = operation?.name?.value;
    return {
      requestId: initial.requestId ?? requestIdOf(initial as Record<string, unknown>),
      ...(initial.socket !== undefined && initial.req
        ? { connectionId: httpRequestId(initial.req) }
        : {}),
      ...(operation ? { operationType: operation.operation } : {}),
      ...(name ? { operation: name } : {}),
      ...(initial.principal?.name ? { principal: initial.principal.name } : {}),
    };
  }

  /** Logs `cause` with `fields`, unless it was logged already. */
  function reportOnce(
    log: Logger,
    cause: unknown,
    fields: Readonly<Record<string, unknown>> = {},
  ): void {
    if (typeof cause === 'object' && cause !== null) {
      if (reported.has(cause)) return;
      reported.add(cause);
    }
    log.error({ err: cause, ...fields }, 'unexpected error');
  }

  /** Error codes of a result, and the unexpected errors (logged with their cause, here once). */
  function summarize(
    log: Logger,
    errors: readonly GraphQLError[] | undefined,
  ): string[] | undefined {
    if (!errors || errors.length === 0) return undefined;
    return errors.map((error) => {
      const verdict = judgeError(error);
      switch (verdict.kind) {
        case 'contract':
          return verdict.code;
        case 'request':
          return 'BAD_USER_INPUT'; // graphql-js's own refusals, given that code by maskError
        case 'unexpected':
          reportOnce(log, verdict.cause, error.path ? { path: error.path.join('.') } : {});
          return 'INTERNAL';
      }
    });
  }

  const plugin: Plugin = {
    onRequest({ serverContext }) {
      const req = (serverContext as InitialContext | undefined)?.req;
      if (req) started.set(req, performance.now());
    },
    onResponse({ request, response, serverContext }) {
      const req = (serverContext as InitialContext | undefined)?.req;
      if (!req) return;
      const requestId = httpRequestId(req);
      try {
        response.headers.set('x-request-id', requestId);
      } catch {
        // A response with immutable headers (none of ours so far) goes without it.
      }
      const since = started.get(req);
      logger.debug(
        {
          requestId,
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          ...(since === undefined ? {} : { ms: Math.round(performance.now() - since) }),
        },
        'request',
      );
    },
    onExecute({ args }) {
      const begun = performance.now();
      const log = operationLogger(args.contextValue, args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return; // incremental delivery: not used here
          const errors = summarize(log, (result as ExecutionResult).errors);
          log.debug(
            { ms: Math.round(performance.now() - begun), ...(errors ? { errors } : {}) },
            'operation',
          );
        },
      };
    },
    onSubscribe({ args }) {
      const begun = performance.now();
      // A subscription lives long and logs rarely: it keeps its bindings, and makes a child
      // logger only to log (pino's bindings string is over a kilobyte per idle subscription).
      const bindings = operationBindings(args.contextValue, args.document, args.operationName);
      return {
        onSubscribeError({ error }) {
          const log = logger.child(bindings);
          const errors = summarize(log, [
            error instanceof GraphQLError
              ? error
              : new GraphQLError('subscribe failed', { originalError: error as Error }),
          ]);
          log.debug({ errors }, 'subscription refused');
        },
        onSubscribeResult({ result }) {
          const log = logger.child(bindings);
          if (!(Symbol.asyncIterator in result)) {
            log.debug({ errors: summarize(log, result.errors) }, 'subscription refused');
            return;
          }
          log.info('subscription started');
          let delivered = 0;
          let ended = false;
          return {
            onNext({ result: next }: { result: ExecutionResult }) {
              if (!next.errors) delivered++;
              else {
                const log = logger.child(bindings);
                log.info({ errors: summarize(log, next.errors) }, 'subscription error');
              }
            },
            onEnd() {
              if (ended) return;
              ended = true;
              logger
                .child(bindings)
                .info(
                  { ms: Math.round(performance.now() - begun), delivered },
                  'subscription ended',
                );
            },
          };
        },
      };
    },
  };

  return {
    plugin,
    requestIdOf,
    unexpected: (cause, requestId) =>
      reportOnce(logger, cause, requestId === undefined ? {} : { requestId }),
  };
}
