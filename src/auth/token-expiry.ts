import type { Principal } from './grants.js';
import type { Endable, SubscriptionTracker } from './subscription-tracker.js';

/** Longest delay Node's timers take (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What `setTimer` returns and `clearTimer` takes; its `unref()` is called when it has one. */
export type TimerHandle = object;

export interface TokenExpiryOptions {
  /**
   * Called once per held token when its `expiresAt` passes: end its subscriptions and close its
   * sockets. Not called for a token nothing holds any more.
   */
  readonly onExpired: (tokenId: string) => void;
  /** The clock in milliseconds, injectable for tests. @default Date.now */
  readonly now?: () => number;
  /** Timer functions, injectable for tests. @default globalThis.setTimeout */
  readonly setTimer?: (callback: () => void, ms: number) => TimerHandle;
  /** @default globalThis.clearTimeout */
  readonly clearTimer?: (timer: TimerHandle) => void;
}

/**
 * Ends what an expiring token holds open (subscriptions, WebSockets) at the moment it expires,
 * on this instance. Every instance reads the same `expiresAt` from the registry, so every instance
 * ends its own share at the same time, with no message between them.
 *
 * One timer per token that is held and expires, rather than a periodic sweep: it fires on time
 * (a sweep would be up to its period late), and costs nothing for the many tokens that never
 * expire or hold nothing open. Requests are not covered here: each one checks expiry itself.
 */
export interface TokenExpiry {
  /**
   * Watches the principal's token while the caller holds something open with it; returns the
   * release (idempotent). The admin token and tokens without `expiresAt` are not watched.
   */
  hold(principal: Principal): () => void;
  /** Tokens watched now. */
  readonly size: number;
  /** Clears every timer (gateway shutdown). */
  close(): void;
}

interface Watch {
  holders: number;
  timer: TimerHandle;
}

const noop = () => {};

export function createTokenExpiry(options: TokenExpiryOptions): TokenExpiry {
  const {
    onExpired,
    now = Date.now,
    setTimer = (callback: () => void, ms: number) => setTimeout(callback, ms),
    clearTimer = (timer: TimerHandle) => clearTimeout(timer as NodeJS.Timeout),
  } = options;
  const watches = new Map<string, Watch>();

  function arm(tokenId: string, expiresAt: number): TimerHandle {
    const delay = Math.min(Math.max(0, expiresAt - now()), MAX_TIMER_MS);
    const timer = setTimer(() => {
      const watch = watches.get(tokenId);
      if (!watch || watch.timer !== timer) return;
      // A far expiry is reached in hops of at most MAX_TIMER_MS; timers may also fire early.
      if (now() < expiresAt) {
        watch.timer = arm(tokenId, expiresAt);
        return;
      }
      watches.delete(tokenId);
      onExpired(tokenId);
    }, delay);
    // Watching an expiry must not keep the process alive on its own.
    (timer as { unref?: () => unknown }).unref?.();
    return timer;
  }

  return {
    hold(principal) {
      const { tokenId, expiresAt } = principal;
      if (tokenId === null || expiresAt === null) return noop;
      const at = Date.parse(expiresAt);
      if (Number.isNaN(at)) return noop;
      let watch = watches.get(tokenId);
      if (watch) watch.holders += 1;
      else watches.set(tokenId, (watch = { holders: 1, timer: arm(tokenId, at) }));
      const held = watch;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.holders -= 1;
        // The token may have expired (and been forgotten) while held: leave later watches alone.
        if (held.holders > 0 || watches.get(tokenId) !== held) return;
        clearTimer(held.timer);
        watches.delete(tokenId);
      };
    },
    get size() {
      return watches.size;
    },
    close() {
      for (const watch of watches.values()) clearTimer(watch.timer);
      watches.clear();
    },
  };
}

/**
 * The tracker with every subscription it counts also holding its token's expiry watch, so
 * subscriptions over SSE and WebSocket alike end when their token expires.
 */
export function trackExpiry(
  tracker: SubscriptionTracker,
  expiry: TokenExpiry,
): SubscriptionTracker {
  return {
    open(principal: Principal, subscription: Endable) {
      const release = tracker.open(principal, subscription);
      const unhold = expiry.hold(principal);
      return () => {
        release();
        unhold();
      };
    },
    endAll: (tokenId, error) => tracker.endAll(tokenId, error),
    get size() {
      return tracker.size;
    },
  };
}
