import type { StoredEvent } from '../events/envelope.js';
import type { SubscriptionItem } from '../fanout/subscriber.js';
import type { EventNode } from './event-types.js';

/**
 * The `resolve` of a subscription field over events (`events`, `consume`): an item is an event,
 * or the error that ends the subscription, thrown so the client receives it as a GraphQL error.
 */
export function eventOfItem(item: unknown): EventNode {
  const value = item as SubscriptionItem<StoredEvent>;
  if ('error' in value) throw value.error;
  return value as EventNode;
}
