import { gatewayError } from '../errors.js';
import { patternWithin } from './grant-pattern.js';
import { can, typesAllowed, type Principal } from './grants.js';
import type { Endable, SubscriptionTracker } from './subscription-tracker.js';

/**
 * The token of one long-lived connection (a WebSocket), which the client may replace without
 * reconnecting (shared/API.md "Token renewal"). Subscriptions opened on the connection are
 * counted under the token that holds them now: a renewal moves those the new token still grants
 * to it, with no gap, and ends the others with FORBIDDEN; revocation and expiry then follow the
 * new token.
 */
export interface TokenSession {
  /** The connection's token now. */
  readonly principal: Principal;
  /**
   * Verifies `authorization` (a bearer token) and makes it the connection's token. On failure
   * it throws (UNAUTHENTICATED, RATE_LIMITED) and nothing changes.
   */
  renew(authorization: string): Promise<Principal>;
  /**
   * The tracker one operation on the connection counts its subscriptions with. `scope` is what
   * it reads, what a renewal checks; undefined when unknown: the subscription then survives only
   * a renewal to a token of the same grants.
   */
  trackerFor(scope: SubscriptionScope | undefined): SubscriptionTracker;
}

/** What a subscription asked for: its streams, and the types its filter keeps, if it has one. */
export interface SubscriptionScope {
  readonly streams: readonly string[];
  /** Type names or prefixes ending in '*'; undefined: every type. */
  readonly types?: readonly string[];
}

export interface TokenSessionOptions {
  /** The token the connection was opened with. */
  readonly principal: Principal;
  /** Turns an `Authorization` value into a principal; throws when it is not valid. */
  readonly authenticate: (authorization: string) => Promise<Principal>;
  /** Where subscriptions are counted per token (ends them on revocation and expiry). */
  readonly tracker: SubscriptionTracker;
  /** Called after each renewal, for the connection's own bookkeeping. @default undefined */
  readonly onRenewed?: (previous: Principal, next: Principal) => void;
}

interface Entry {
  readonly subscription: Endable;
  readonly scope: SubscriptionScope | undefined;
  /** The token the subscription was opened with: its filter and scope were compiled for it. */
  readonly openedWith: Principal;
  release: () => void;
}

export function createTokenSession(options: TokenSessionOptions): TokenSession {
  const { tracker } = options;
  let principal = options.principal;
  const entries = new Set<Entry>();

  /** Counts the entry under `holder`, or ends it when that token may not hold it. */
  function place(entry: Entry, holder: Principal): void {
    if (!stillGranted(entry.openedWith, holder, entry.scope)) {
      entries.delete(entry);
      entry.subscription.end(
        gatewayError('FORBIDDEN', 'the renewed token does not grant this subscription'),
      );
      return;
    }
    try {
      entry.release = tracker.open(holder, entry.subscription);
    } catch (error) {
      // The new token holds its limit of subscriptions already (RATE_LIMITED).
      entries.delete(entry);
      entry.subscription.end(error);
    }
  }

  return {
    get principal() {
      return principal;
    },
    async renew(authorization) {
      const next = await options.authenticate(authorization);
      const previous = principal;
      principal = next;
      for (const entry of [...entries]) {
        entry.release();
        place(entry, next);
      }
      options.onRenewed?.(previous, next);
      return next;
    },
    trackerFor(scope) {
      return {
        open(opener, subscription) {
          const entry: Entry = { subscription, scope, openedWith: opener, release: () => {} };
          if (opener === principal) {
            // Throws RATE_LIMITED past the token's limit, refusing the subscription.
            entry.release = tracker.open(opener, subscription);
            entries.add(entry);
          } else {
            // Opened with the token of before a renewal that happened meanwhile: checked as if
            // it had been open then.
            entries.add(entry);
            place(entry, principal);
          }
          return () => {
            if (!entries.delete(entry)) return;
            entry.release();
          };
        },
        endAll: (tokenId, error) => tracker.endAll(tokenId, error),
        get size() {
          return tracker.size;
        },
      };
    },
  };
}

/**
 * Does `next` grant what a subscription opened with `opened` may deliver? Its filter was
 * compiled with the tenant and type grants of `opened`, so it delivers events of its streams
 * whose types both its own filter and `opened` allow, of the tenant of `opened`. `next` must
 * allow at least that: SUBSCRIBE on every stream, those types, and the same tenant (or none).
 */
export function stillGranted(
  opened: Principal,
  next: Principal,
  scope: SubscriptionScope | undefined,
): boolean {
  if (next.admin) return true;
  if (next.tenant !== null && next.tenant !== opened.tenant) return false;
  if (scope === undefined) return sameScope(opened, next);
  const within = (types: readonly string[] | undefined, granted: readonly string[]) =>
    types !== undefined && types.every((type) => granted.some((g) => patternWithin(type, g)));
  return scope.streams.every((stream) => {
    if (!can(next, 'SUBSCRIBE', stream)) return false;
    const nextTypes = typesAllowed(next, 'SUBSCRIBE', stream);
    if (nextTypes === undefined) return true;
    return (
      within(scope.types, nextTypes) || within(typesAllowed(opened, 'SUBSCRIBE', stream), nextTypes)
    );
  });
}

function sameScope(a: Principal, b: Principal): boolean {
  return (
    a.admin === b.admin &&
    a.tenant === b.tenant &&
    JSON.stringify(a.grants) === JSON.stringify(b.grants)
  );
}
