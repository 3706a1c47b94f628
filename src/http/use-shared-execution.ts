import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { FormattedExecutionResult } from 'graphql-ws';
import type { Plugin } from 'graphql-yoga';
import { WebSocket } from 'ws';
import type { GatewayContext } from '../graphql/context.js';
import type { SharedExecutions } from '../graphql/shared-execution.js';
import { describeSharedOperation } from '../graphql/shared-operation.js';
import { sharedPayloadOf, spliceSharedPayload } from '../graphql/shared-result-json.js';

/**
 * Execute once per group, for HTTP, SSE and WebSocket alike: a subscription that can share
 * (same schema, document, variables, operation name and authorization scope, starting at the
 * live tail) is handed to its group instead of being executed on its own. Everything before
 * (parsing, validation, authentication) and after (error masking) still runs per subscriber.
 */
export function useSharedExecution(executions: SharedExecutions): Plugin {
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const { principal } = args.contextValue as Partial<GatewayContext>;
      if (!principal) return;
      const operation = describeSharedOperation(args, principal);
      if (!operation) return;
      const shared = (subscribeArgs: ExecutionArgs) =>
        executions.subscribe(
          operation,
          subscribeArgs,
          subscribeFn as (a: ExecutionArgs) => unknown,
        );
      setSubscribeFn(shared as unknown as typeof subscribeFn);
    },
  };
}

/**
 * Serialize once per group, over graphql-ws: its `onNext` hook. A result a group serialized is
 * handed on as a stand-in that `SharedPayloadSocket` replaces with the group's JSON.
 */
export function sharedPayloadOnNext(
  _context: unknown,
  _id: string,
  _payload: unknown,
  _args: unknown,
  result: ExecutionResult,
): FormattedExecutionResult | undefined {
  return sharedPayloadOf(result) as FormattedExecutionResult | undefined;
}

/** The server's socket class (`WebSocketServer({ WebSocket })`): sends shared payloads as text. */
export class SharedPayloadSocket extends WebSocket {
  // The overloads of ws's send, taken as they come and passed on unchanged.
  override send(data: any, options?: any, callback?: any): void {
    super.send(typeof data === 'string' ? spliceSharedPayload(data) : data, options, callback);
  }
}
