import type { SubscriptionTracker } from '../auth/subscription-tracker.js';
import type { Positions } from '../events/cursor.js';
import type { StoredEvent } from '../events/envelope.js';
import type { Fanout } from '../fanout/fanout.js';
import type { GatewayContext } from './context.js';

type EventFanout = Fanout<StoredEvent>;
type FanoutIterator = ReturnType<EventFanout['subscribe']>;

/** What a group learns from the one subscription it executes. */
export interface GroupSourceWatch {
  /** The streams it reads, once it starts. */
  onStart(streams: readonly string[]): void;
  /** The positions of each item the execution pulls, in order: one result per item. */
  onItem(positions: Positions): void;
}

/**
 * The context of a group's one execution: no connection signal and no subscription count of its
 * own (members come and go and are counted and ended one by one), and a fan-out that reports
 * the positions behind every result, so a member that leaves knows where to go on from.
 */
export function groupContext(member: GatewayContext, watch: GroupSourceWatch): GatewayContext {
  const { fanout } = member.services;
  return {
    ...member,
    signal: undefined,
    services: {
      ...member.services,
      subscriptions: untracked,
      fanout: {
        ...delegate(fanout),
        subscribe(options) {
          watch.onStart([...options.start.keys()]);
          return recording(fanout.subscribe(options), watch);
        },
      },
    },
  };
}

/**
 * The context of a member going on alone from `positions` (the last result it got from its
 * group): the same operation, started there instead of at the live tail. The member stays
 * counted and watched itself, so this execution is not counted again; `onSource` receives the
 * fan-out subscription, for the member to end it.
 */
export function resumeContext(
  member: GatewayContext,
  positions: Positions,
  onSource: (source: FanoutIterator) => void,
): GatewayContext {
  const { fanout } = member.services;
  return {
    ...member,
    signal: undefined,
    services: {
      ...member.services,
      subscriptions: untracked,
      fanout: {
        ...delegate(fanout),
        subscribe({ filter }) {
          const source = fanout.subscribe({ start: positions, filter });
          onSource(source);
          return source;
        },
      },
    },
  };
}

const untracked: SubscriptionTracker = {
  open: () => () => undefined,
  endAll: () => undefined,
  size: 0,
};

function delegate(fanout: EventFanout): EventFanout {
  return {
    subscribe: (options) => fanout.subscribe(options),
    tailPositions: (stream) => fanout.tailPositions(stream),
    watermarks: (stream) => fanout.watermarks(stream),
    stats: () => fanout.stats(),
    close: (error) => fanout.close(error),
  };
}

function recording(inner: FanoutIterator, watch: GroupSourceWatch): FanoutIterator {
  return {
    async next() {
      const step = await inner.next();
      if (!step.done) watch.onItem(step.value.positions);
      return step;
    },
    return: () => inner.return(),
    throw: (error?: unknown) => inner.throw(error),
    end: (error?: unknown) => inner.end(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
