import type { ExecutionArgs } from 'graphql';
import type { Positions } from '../events/cursor.js';
import type { GatewayContext } from './context.js';

/**
 * The positions behind each subscription result: where a client that got this result resumes
 * (over SSE they become the `id:` of the message). Kept beside the result object, not in it,
 * so nothing of it reaches the JSON a client receives.
 */
const positionsOfResults = new WeakMap<object, Positions>();

export function recordResultPositions(result: object, positions: Positions): void {
  positionsOfResults.set(result, positions);
}

export function resultPositions(result: object): Positions | undefined {
  return positionsOfResults.get(result);
}

/** Where one execution's source stands: the positions of the item it pulled last. */
export interface ResumePoint {
  positions: Positions | undefined;
}

type Subscribe = (args: ExecutionArgs) => unknown;

/**
 * Wraps the subscribe step so that every result it yields is recorded with the positions of
 * the item it was made from. graphql-js maps source items to results one at a time, in order,
 * so when a result comes out, the resume point holds the positions of the item behind it.
 */
export function recordingResultPositions(subscribe: Subscribe): Subscribe {
  return (args) => {
    const point: ResumePoint = { positions: undefined };
    const context = { ...(args.contextValue as GatewayContext), resumePoint: point };
    const outcome = subscribe({ ...args, contextValue: context });
    return Promise.resolve(outcome).then((result) => {
      if (!isAsyncIterator(result)) return result;
      return {
        async next() {
          const step = await result.next();
          if (!step.done && point.positions && typeof step.value === 'object' && step.value) {
            recordResultPositions(step.value as object, point.positions);
          }
          return step;
        },
        return: () => result.return?.() ?? Promise.resolve({ done: true, value: undefined }),
        throw: (error: unknown) => result.throw?.(error) ?? Promise.reject(error),
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    });
  };
}

function isAsyncIterator(value: unknown): value is AsyncIterableIterator<unknown> {
  return (
    typeof (value as AsyncIterableIterator<unknown> | null)?.[Symbol.asyncIterator] === 'function'
  );
}
