import type { InterfaceRef } from '@pothos/core';
import type { Builder, Types } from './builder.js';
import type { EventNode } from './event-types.js';
import { eventOfItem } from './subscription-item.js';
import type { StartPositionInput } from './event-subscription.js';
import {
  ackEvent,
  consumerGroup,
  consumerGroups,
  openGroupSubscription,
  resetConsumerGroup,
  type ConsumeArgs,
  type ConsumerGroupNode,
} from './group-operations.js';
import type { addSubscriptionFields } from './subscription-fields.js';

type SubscriptionInputs = ReturnType<typeof addSubscriptionFields>;

/** Consumer groups (shared/API.md): `consume`, `ack`, `resetConsumerGroup`, `consumerGroup(s)`. */
export function addGroupFields(
  builder: Builder,
  eventRef: InterfaceRef<Types, EventNode>,
  { StartPosition, EventFilter }: SubscriptionInputs,
): void {
  const PartitionLag = builder
    .objectRef<ConsumerGroupNode['description']['lag'][number]>('PartitionLag')
    .implement({
      description: "A partition of one of the group's streams: the group's position and its end.",
      fields: (t) => ({
        stream: t.string({ resolve: (p) => p.stream }),
        partition: t.int({ resolve: (p) => p.partition }),
        committedOffset: t.string({
          nullable: true,
          description: 'The next offset the group will process; null before it has a position.',
          resolve: (p) => (p.committedOffset === undefined ? null : String(p.committedOffset)),
        }),
        endOffset: t.string({ resolve: (p) => String(p.endOffset) }),
        lag: t.string({
          description: 'Events between the group position and the end.',
          resolve: (p) => String(Math.max(0, p.endOffset - (p.committedOffset ?? p.lowOffset))),
        }),
      }),
    });
  const ConsumerGroup = builder.objectRef<ConsumerGroupNode>('ConsumerGroup').implement({
    description:
      'A durable consumer group: its members share its streams, each event going to one.',
    fields: (t) => ({
      name: t.string({ resolve: (g) => g.name }),
      streams: t.stringList({ resolve: (g) => [...g.description.streams] }),
      members: t.int({
        description: 'Members connected to the gateway instance that answers.',
        resolve: (g) => g.description.members,
      }),
      lag: t.field({ type: [PartitionLag], resolve: (g) => [...g.description.lag] }),
    }),
  });

  builder.subscriptionFields((t) => ({
    consume: t.field({
      type: eventRef,
      description:
        "A member of a consumer group. Each event of the group's streams goes to one member at a time; the group's position is kept (in Kafka) and moves on as members acknowledge. At-least-once: what a member received but did not acknowledge before it left goes to another member.",
      args: {
        group: t.arg.string({ required: true }),
        streams: t.arg.stringList({ required: true }),
        filter: t.arg({ type: EventFilter }),
        from: t.arg({ type: StartPosition }),
        maxUnacked: t.arg.int(),
      },
      subscribe: (_root, args, context) =>
        openGroupSubscription(context, args as unknown as ConsumeArgs),
      resolve: eventOfItem,
    }),
  }));

  builder.mutationFields((t) => ({
    ack: t.boolean({
      description:
        'Acknowledges the event with this cursor and every earlier event of its partition in the group.',
      args: {
        group: t.arg.string({ required: true }),
        cursor: t.arg.string({ required: true }),
      },
      resolve: (_root, args, context) => ackEvent(context, args),
    }),
    resetConsumerGroup: t.field({
      type: ConsumerGroup,
      description:
        "Moves the group's position; its members continue from there. Needs MANAGE on its streams.",
      args: {
        group: t.arg.string({ required: true }),
        to: t.arg({ type: StartPosition, required: true }),
      },
      resolve: (_root, args, context) =>
        resetConsumerGroup(context, {
          group: args.group,
          to: args.to as unknown as StartPositionInput,
        }),
    }),
  }));

  builder.queryFields((t) => ({
    consumerGroups: t.field({
      type: [ConsumerGroup],
      resolve: (_root, _args, context) => consumerGroups(context),
    }),
    consumerGroup: t.field({
      type: ConsumerGroup,
      nullable: true,
      args: { name: t.arg.string({ required: true }) },
      resolve: (_root, { name }, context) => consumerGroup(context, name),
    }),
  }));
}
