import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorCodeOf } from '../errors.js';
import { judgeError } from './error-policy.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * Counts, for /metrics, what the GraphQL pipeline refuses (by contract code, at parse,
 * validation, execution and subscription alike) and every event a subscription delivers.
 */
export function useMetrics(metrics: GatewayMetrics): Plugin {
  const countErrors = (errors: readonly unknown[] | undefined) => {
    for (const error of errors ?? []) {
      // By the code the client is given (error-policy.ts); masked errors are no refusal.
      const verdict = judgeError(error);
      if (verdict.kind === 'contract') metrics.rejections.inc({ code: verdict.code });
      else if (verdict.kind === 'request') metrics.rejections.inc({ code: 'BAD_USER_INPUT' });
    }
  };
  return {
    onParse:
      () =>
      ({ result }) => {
        if (result instanceof Error) countErrors([result]);
      },
    // Every validation error is the client's mistake: use-limits gives the uncoded ones
    // BAD_USER_INPUT, after this hook has run.
    onValidate:
      () =>
      ({ result }) => {
        for (const error of result) {
          metrics.rejections.inc({ code: errorCodeOf(error) ?? 'BAD_USER_INPUT' });
        }
      },
    onExecute: () => ({
      onExecuteDone({ result }) {
        if (!(Symbol.asyncIterator in result)) countErrors(result.errors);
      },
    }),
    onSubscribe: () => ({
      onSubscribeError({ error }) {
        countErrors([error]);
      },
      onSubscribeResult({ result }) {
        if (!(Symbol.asyncIterator in result)) {
          countErrors(result.errors);
          return;
        }
        return {
          onNext({ result: next }: { result: ExecutionResult }) {
            if (next.errors) countErrors(next.errors);
            else metrics.deliveries.inc();
          },
        };
      },
    }),
  };
}
