/**
 * A publisher that keeps publishing while a fault is injected, as a service would: one
 * `publishJson` after another, each with an id of its own, and a record of what happened to
 * each (acknowledged with its position, refused with a code, or failed at the HTTP level).
 */
import { PUBLISH_RESULT_FIELDS, type PublishResult } from '../support/clients.js';
import { waitFor } from '../support/wait-for.js';
import type { SubscribeTarget } from './resuming-subscription.js';

export interface PublishAttempt {
  readonly id: string;
  readonly startedAt: number;
  readonly ms: number;
  /** 'ok', a contract code (UNAVAILABLE…), or 'HTTP <status>' / 'NETWORK' when no GraphQL answer came. */
  readonly outcome: string;
  /** The start of an answer that is neither an event nor a contract code. */
  readonly detail?: string;
  readonly result?: PublishResult;
}

export interface PublishLoop {
  readonly attempts: readonly PublishAttempt[];
  /** Acknowledged publishes, in order. */
  acked(): PublishResult[];
  /** Resolves once `n` more publishes were acknowledged than when called. */
  waitForAcks(n: number, options?: { timeoutMs?: number }): Promise<void>;
  /** Stops after the publish under way; resolves when it is answered. */
  stop(): Promise<void>;
}

export interface PublishLoopOptions {
  /** The gateway to publish to now (looked up before each publish). */
  readonly target: () => SubscribeTarget;
  readonly type: string;
  readonly data: () => unknown;
  /** Prefix of the event ids. */
  readonly idPrefix: string;
  /** Pause after a refused or failed publish, as a client backing off. @default 100 */
  readonly backoffMs?: number;
  /** Give up on one request after this long (the gateway should answer far sooner). @default 30000 */
  readonly requestTimeoutMs?: number;
}

export function publishLoop(options: PublishLoopOptions): PublishLoop {
  const attempts: PublishAttempt[] = [];
  let stopped = false;
  let n = 0;

  async function once(): Promise<PublishAttempt> {
    const id = `${options.idPrefix}-${n++}`;
    const target = options.target();
    const startedAt = Date.now();
    const done = (outcome: string, result?: PublishResult, detail?: string): PublishAttempt => ({
      id,
      startedAt,
      ms: Date.now() - startedAt,
      outcome,
      ...(result ? { result } : {}),
      ...(detail ? { detail } : {}),
    });
    try {
      const response = await fetch(`${target.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
        body: JSON.stringify({
          query: `mutation($event: PublishJsonInput!) { publishJson(event: $event) { ${PUBLISH_RESULT_FIELDS} } }`,
          variables: { event: { type: options.type, data: options.data(), id, resourceId: id } },
        }),
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
      });
      const text = await response.text();
      let body: {
        data?: { publishJson?: PublishResult } | null;
        errors?: { extensions?: { code?: string } }[];
      };
      try {
        body = JSON.parse(text);
      } catch {
        return done(`HTTP ${response.status}`, undefined, text.slice(0, 500));
      }
      const result = body.data?.publishJson;
      if (result) return done('ok', result);
      const code = body.errors?.[0]?.extensions?.code;
      return done(
        code ?? `HTTP ${response.status}`,
        undefined,
        code ? undefined : text.slice(0, 500),
      );
    } catch {
      return done('NETWORK');
    }
  }

  const running = (async () => {
    while (!stopped) {
      const attempt = await once();
      attempts.push(attempt);
      if (attempt.outcome !== 'ok')
        await new Promise((resolve) => setTimeout(resolve, options.backoffMs ?? 100));
    }
  })();

  const acked = () => attempts.flatMap((a) => (a.result ? [a.result] : []));
  return {
    attempts,
    acked,
    async waitForAcks(count, { timeoutMs = 60_000 } = {}) {
      const goal = acked().length + count;
      await waitFor(() => acked().length >= goal, {
        timeoutMs,
        what: `${count} acknowledged publishes (last outcomes: ${attempts.slice(-3).map((a) => a.outcome)})`,
      });
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/**
 * The longest time publishing was impossible: from the start of the first refused attempt to
 * the end of the next acknowledged one, or 0 when none was refused.
 */
export function longestOutage(attempts: readonly PublishAttempt[]): number {
  let longest = 0;
  let since: number | undefined;
  for (const attempt of attempts) {
    if (attempt.outcome !== 'ok') since ??= attempt.startedAt;
    else if (since !== undefined) {
      longest = Math.max(longest, attempt.startedAt + attempt.ms - since);
      since = undefined;
    }
  }
  return longest;
}
