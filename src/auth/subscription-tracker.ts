import type { Principal } from './grants.js';
import { rateLimited } from './rate-limit.js';

/** Something that can be ended with an error: an open subscription. */
export interface Endable {
  end(error?: unknown): void;
}

/**
 * Open subscriptions per token on this instance: enforces each token's `maxSubscriptions`, and
 * ends a token's subscriptions when the token is revoked or expires.
 */
export interface SubscriptionTracker {
  /** Counts a new subscription; throws RATE_LIMITED past the token's limit. Returns the release. */
  open(principal: Principal, subscription: Endable): () => void;
  /** Ends every open subscription of the token with `error`. */
  endAll(tokenId: string, error: unknown): void;
  /** Open subscriptions, all tokens together. */
  readonly size: number;
}

export function createSubscriptionTracker(): SubscriptionTracker {
  const byToken = new Map<string, Set<Endable>>();
  let size = 0;
  return {
    open(principal, subscription) {
      const key = principal.tokenId ?? `admin:${principal.name}`;
      let open = byToken.get(key);
      if (!open) byToken.set(key, (open = new Set()));
      if (!principal.admin && open.size >= principal.limits.maxSubscriptions) {
        if (open.size === 0) byToken.delete(key);
        throw rateLimited(
          5,
          `this token holds ${principal.limits.maxSubscriptions} subscriptions already`,
        );
      }
      open.add(subscription);
      size++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        size--;
        open.delete(subscription);
        if (open.size === 0) byToken.delete(key);
      };
    },
    endAll(tokenId, error) {
      for (const subscription of [...(byToken.get(tokenId) ?? [])]) subscription.end(error);
    },
    get size() {
      return size;
    },
  };
}
