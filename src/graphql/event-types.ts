import type { InterfaceRef } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import { encodeCursor, type Positions } from '../events/cursor.js';
import type { StoredEvent } from '../events/envelope.js';
import type { Builder, Types } from './builder.js';

/** What an `Event` resolves from: the shared decoded event and the subscription's positions after it. */
export interface EventNode {
  readonly event: StoredEvent;
  readonly positions: Positions;
}

const cursors = new WeakMap<Positions, string>();

/** Encodes a cursor once per positions snapshot, however many subscribers share it. */
export function cursorOf(positions: Positions): string {
  let cursor = cursors.get(positions);
  if (cursor === undefined) {
    cursor = encodeCursor(positions);
    cursors.set(positions, cursor);
  }
  return cursor;
}

/** The `Event` interface and `UntypedEvent` (shared/API.md). */
export function addEventInterface(
  builder: Builder,
  graphqlNameOf: (type: string) => string | undefined,
): InterfaceRef<Types, EventNode> {
  const eventRef = builder.interfaceRef<EventNode>('Event');
  return eventRef.implement({
    description: 'An event of a stream: a CloudEvent with its position in the log.',
    resolveType(node: EventNode, _context: unknown, info: GraphQLResolveInfo) {
      const name = graphqlNameOf(node.event.type);
      // A subscription runs on the schema it started with: a type registered since is untyped
      // there, and so is a type deleted since (or not visible to the token).
      return name !== undefined && info.schema.getType(name) ? name : 'UntypedEvent';
    },
    fields: (t) => ({
      id: t.id({ resolve: (n) => n.event.id }),
      type: t.string({ resolve: (n) => n.event.type }),
      stream: t.string({ resolve: (n) => n.event.stream }),
      resourceType: t.string({ resolve: (n) => n.event.resourceType }),
      action: t.string({ resolve: (n) => n.event.action }),
      resourceId: t.id({ nullable: true, resolve: (n) => n.event.resourceId }),
      source: t.string({ resolve: (n) => n.event.source }),
      tenant: t.string({ nullable: true, resolve: (n) => n.event.tenant }),
      time: t.field({ type: 'DateTime', resolve: (n) => n.event.time }),
      schemaVersion: t.int({ nullable: true, resolve: (n) => n.event.schemaVersion }),
      partition: t.int({ resolve: (n) => n.event.partition }),
      offset: t.string({ resolve: (n) => String(n.event.offset) }),
      cursor: t.string({
        description:
          'Opaque. Pass it as from: { after: cursor } to continue right after this event, on any instance.',
        resolve: (n) => cursorOf(n.positions),
      }),
      payload: t.field({
        type: 'JSON',
        description: 'The data as raw JSON.',
        resolve: (n) => n.event.payload,
      }),
    }),
  });
}

/** `UntypedEvent`: what events of unregistered types resolve to. */
export function addUntypedEvent(builder: Builder, eventRef: InterfaceRef<Types, EventNode>): void {
  builder.objectRef<EventNode>('UntypedEvent').implement({
    description:
      'An event whose type is not registered, e.g. written into Kafka by a native producer.',
    interfaces: [eventRef],
    fields: () => ({}),
  });
}
