import type { InputObjectRef, InterfaceRef } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import { encodeCursor, type Positions } from '../events/cursor.js';
import type { StoredEvent } from '../events/envelope.js';
import type { EventTypeGraphqlModel, GqlTypeRef } from '../registry/graphql-model/model-types.js';
import type { Builder, Types } from './builder.js';

/** What an `Event` resolves from: the shared decoded event and the subscription's positions after it. */
export interface EventNode {
  readonly event: StoredEvent;
  readonly positions: Positions;
}

/** The input type of a typed publish (`AppCreatedPublish`) and how to turn it into data. */
export interface TypedPublishInput {
  readonly model: EventTypeGraphqlModel;
  readonly ref: InputObjectRef<Types, Record<string, unknown>>;
}

// Pothos type parameters for refs built at run time from JSON Schemas are not known statically.
type AnyRef = any; // eslint-disable-line @typescript-eslint/no-explicit-any

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
  typeNames: ReadonlyMap<string, string>,
): InterfaceRef<Types, EventNode> {
  const eventRef = builder.interfaceRef<EventNode>('Event');
  return eventRef.implement({
    description: 'An event of a stream: a CloudEvent with its position in the log.',
    resolveType(node: EventNode, _context: unknown, info: GraphQLResolveInfo) {
      const name = typeNames.get(node.event.type);
      // A subscription runs on the schema it started with: a type registered since is untyped there.
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

/**
 * The GraphQL types of registered event types: `AppCreated implements Event` with a typed
 * `data`, its data object, enum and input types, and the `AppCreatedPublish` input.
 */
export function addRegisteredEventTypes(
  builder: Builder,
  eventRef: InterfaceRef<Types, EventNode>,
  models: readonly EventTypeGraphqlModel[],
): TypedPublishInput[] {
  const outputs = new Map<string, AnyRef>();
  const inputs = new Map<string, AnyRef>();

  for (const model of models) {
    for (const e of model.enums) {
      const values: Record<string, { value: string }> = {};
      for (const v of e.values) values[v.name] = { value: v.value };
      const ref = builder.enumType(e.name, { description: e.description, values });
      outputs.set(e.name, ref);
      inputs.set(e.name, ref);
    }
    for (const object of model.objects) {
      outputs.set(object.name, builder.objectRef<Record<string, unknown>>(object.name));
      inputs.set(
        `${object.name}Input`,
        builder.inputRef<Record<string, unknown>>(`${object.name}Input`),
      );
    }
  }

  const publishInputs: TypedPublishInput[] = [];
  for (const model of models) {
    for (const object of model.objects) {
      outputs.get(object.name).implement({
        description: object.description,
        fields: (t: AnyRef) =>
          Object.fromEntries(
            object.fields.map((field) => [
              field.name,
              t.field({
                ...outputType(field.type, field.nonNull, outputs),
                description: field.description,
                resolve: (parent: Record<string, unknown>) => parent[field.jsonName],
              }),
            ]),
          ),
      });
      inputs.get(`${object.name}Input`).implement({
        description: object.description,
        fields: (t: AnyRef) =>
          Object.fromEntries(
            object.fields.map((field) => [
              field.name,
              t.field({
                ...inputType(field.type, field.nonNull, inputs),
                description: field.description,
              }),
            ]),
          ),
      });
    }
    builder.objectRef<EventNode>(model.typeName).implement({
      description: `A "${model.type}" event.`,
      interfaces: [eventRef],
      fields: (t) => ({
        data: t.field({
          ...outputType(model.data, model.dataNonNull, outputs),
          resolve: (node: EventNode) => node.event.payload,
        } as AnyRef),
      }),
    });
    const publishRef = builder.inputType(model.publishInputName, {
      description: `Publishes a "${model.type}" event.`,
      fields: (t) => ({
        data: t.field({ ...inputType(model.data, model.dataNonNull, inputs) } as AnyRef),
        resourceId: t.id({ description: 'The resource the event is about: its Kafka key.' }),
        tenant: t.string(),
        id: t.id({ description: 'Unique; made by the gateway when absent.' }),
        time: t.field({ type: 'DateTime', description: 'When it happened; default: now.' }),
        source: t.string({ description: "Who published; default: the token's name." }),
      }),
    });
    publishInputs.push({ model, ref: publishRef as AnyRef });
  }
  return publishInputs;
}

interface FieldTypeOptions {
  type: AnyRef;
  nullable?: boolean | { list: boolean; items: boolean };
  required?: boolean | { list: boolean; items: boolean };
}

function leaf(ref: GqlTypeRef, named: Map<string, AnyRef>, suffix: string): AnyRef {
  switch (ref.kind) {
    case 'scalar':
      return ref.name;
    case 'enum':
      return named.get(ref.name);
    case 'object':
      return named.get(`${ref.name}${suffix}`);
    case 'list':
      return 'JSON'; // lists of lists: GraphQL can say it, the data rarely needs it; JSON keeps it simple
  }
}

function outputType(
  ref: GqlTypeRef,
  nonNull: boolean,
  named: Map<string, AnyRef>,
): FieldTypeOptions {
  if (ref.kind === 'list') {
    return {
      type: [leaf(ref.of, named, '')],
      nullable: { list: !nonNull, items: !ref.nonNullItems },
    };
  }
  return { type: leaf(ref, named, ''), nullable: !nonNull };
}

function inputType(
  ref: GqlTypeRef,
  nonNull: boolean,
  named: Map<string, AnyRef>,
): FieldTypeOptions {
  if (ref.kind === 'list') {
    return {
      type: [leaf(ref.of, named, 'Input')],
      required: { list: nonNull, items: ref.nonNullItems },
    };
  }
  return { type: leaf(ref, named, 'Input'), required: nonNull };
}
