import type { InterfaceRef } from '@pothos/core';
import type { Builder, Types } from './builder.js';
import type { EventNode } from './event-types.js';
import { eventOfItem } from './subscription-item.js';
import { openEventSubscription, type EventsArgs } from './event-subscription.js';

/** `Subscription.events` with its inputs StartPosition, EventFilter and Predicate. */
export function addSubscriptionFields(builder: Builder, eventRef: InterfaceRef<Types, EventNode>) {
  const StartPosition = builder.inputType('StartPosition', {
    description: 'Where a subscription starts: exactly one field.',
    isOneOf: true,
    fields: (t) => ({
      latest: t.boolean({ description: 'Default: only events published from now on.' }),
      earliest: t.boolean({ description: 'Everything the stream still retains.' }),
      after: t.string({ description: 'A cursor: right after the event it came with.' }),
      time: t.field({ type: 'DateTime', description: 'The first event at or after this time.' }),
    }),
  });
  const Predicate = builder.inputType('Predicate', {
    description: 'A test on the event data at `path`: give exactly one operator.',
    fields: (t) => ({
      path: t.string({
        required: true,
        description: 'A dotted path into the data, e.g. "region.name" or "tags.0".',
      }),
      eq: t.field({ type: 'JSON' }),
      ne: t.field({ type: 'JSON' }),
      in: t.field({ type: ['JSON'], required: { list: false, items: true } }),
      notIn: t.field({ type: ['JSON'], required: { list: false, items: true } }),
      gt: t.field({ type: 'JSON' }),
      gte: t.field({ type: 'JSON' }),
      lt: t.field({ type: 'JSON' }),
      lte: t.field({ type: 'JSON' }),
      prefix: t.string(),
      contains: t.field({ type: 'JSON' }),
      exists: t.boolean(),
    }),
  });
  const EventFilter = builder.inputType('EventFilter', {
    description: 'Server-side filter: every given part must hold.',
    fields: (t) => ({
      types: t.stringList({
        required: { list: false, items: true },
        description: 'Exact types, or a prefix ending in \'*\' ("app.*").',
      }),
      resourceTypes: t.stringList({ required: { list: false, items: true } }),
      actions: t.stringList({ required: { list: false, items: true } }),
      resourceIds: t.idList({ required: { list: false, items: true } }),
      where: t.field({
        type: [Predicate],
        required: { list: false, items: true },
        description: 'All must hold.',
      }),
      any: t.field({
        type: [[Predicate]] as never,
        description: 'At least one group must hold in full.',
      }),
    }),
  });

  builder.subscriptionType({
    fields: (t) => ({
      events: t.field({
        type: eventRef,
        description: 'Events of the given streams, filtered on the server, from the chosen start.',
        args: {
          streams: t.arg.stringList({ required: true }),
          filter: t.arg({ type: EventFilter }),
          from: t.arg({ type: StartPosition }),
        },
        subscribe: (_root, args, context) =>
          openEventSubscription(context, args as unknown as EventsArgs),
        resolve: eventOfItem,
      }),
    }),
  });
  // `consume` (group-fields.ts) takes the same inputs.
  return { StartPosition, EventFilter };
}
