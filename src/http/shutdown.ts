import type { Plugin } from 'graphql-yoga';
import { gatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PublishService } from '../publish/publish-service.js';

/**
 * What a graceful shutdown waits for: publishes under way (each is answered, so the client knows
 * whether it was written) and subscription streams (each ends with `complete`, so the client
 * resumes from its last cursor on another instance instead of seeing an error).
 */
export interface Drain {
  /** True once the shutdown began: readiness fails, new publishes are refused. */
  readonly draining: boolean;
  /** Publishes under way. */
  readonly publishes: number;
  /** Subscription result streams still open (over SSE or graphql-ws). */
  readonly subscriptions: number;
  /** The publish service, refusing with UNAVAILABLE (nothing written, retry) once draining. */
  guard(publishing: PublishService): PublishService;
  /** Counts open subscription streams; add it to the Yoga plugins. */
  readonly plugin: Plugin;
  /** Marks the shutdown begun. */
  begin(): void;
  /** Resolves true when no publish is under way, false when `timeoutMs` passed first. */
  publishesSettled(timeoutMs: number): Promise<boolean>;
  /** Resolves true when every subscription stream ended, false when `timeoutMs` passed first. */
  subscriptionsEnded(timeoutMs: number): Promise<boolean>;
}

export function createDrain(): Drain {
  let draining = false;
  let publishes = 0;
  let subscriptions = 0;
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const wake of waiters) wake();
  };

  function until(test: () => boolean, timeoutMs: number): Promise<boolean> {
    if (test()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        if (!test()) return;
        done(true);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (value: boolean) => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(value);
      };
      waiters.add(wake);
    });
  }

  return {
    get draining() {
      return draining;
    },
    get publishes() {
      return publishes;
    },
    get subscriptions() {
      return subscriptions;
    },
    guard(publishing) {
      return {
        async publish(principal, requests) {
          if (draining) {
            throw gatewayError(
              'UNAVAILABLE',
              'this instance is shutting down; nothing was written; retry',
              {
                retryAfterSeconds: 1,
              },
            );
          }
          publishes++;
          try {
            return await publishing.publish(principal, requests);
          } finally {
            publishes--;
            changed();
          }
        },
      };
    },
    plugin: {
      onSubscribe: () => ({
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return;
          subscriptions++;
          let ended = false;
          return {
            onEnd() {
              if (ended) return;
              ended = true;
              subscriptions--;
              changed();
            },
          };
        },
      }),
    },
    begin() {
      draining = true;
    },
    publishesSettled: (timeoutMs) => until(() => publishes === 0, timeoutMs),
    subscriptionsEnded: (timeoutMs) => until(() => subscriptions === 0, timeoutMs),
  };
}

export interface ShutdownSignalOptions {
  readonly logger: Logger;
  /** Stops the gateway gracefully. */
  readonly close: () => Promise<void>;
  /** Past this the process exits with 1 whatever is still open. @default 15000 */
  readonly timeoutMs?: number;
  /** @default ['SIGTERM', 'SIGINT'] */
  readonly signals?: readonly NodeJS.Signals[];
  /** @default process.exit */
  readonly exit?: (code: number) => void;
}

/** On SIGTERM (or SIGINT) closes the gateway and exits 0, or 1 when closing fails or takes too long. */
export function exitOnSignals(options: ShutdownSignalOptions): void {
  const { logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.timeoutMs ?? 15_000;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown took too long; exiting');
      exit(1);
    }, timeoutMs);
    timer.unref();
    try {
      await options.close();
      logger.info({ ms: Date.now() - started }, 'stopped');
      exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      exit(1);
    }
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT'])
    process.on(signal, () => void stop(signal));
}
