import { can, Operations, type Principal } from '../auth/grants.js';
import { gatewayError } from '../errors.js';
import { CompatibilityMode } from '../registry/compatibility.js';
import {
  createStream,
  deleteEventType,
  deleteStream,
  deprecateEventType,
  registerEventType,
  setCompatibility,
} from '../registry/registry-commands.js';
import type { EventTypeDef, SchemaVersionDef, StreamDef } from '../registry/registry-state.js';
import type { Builder } from './builder.js';
import type { GatewayContext } from './context.js';

function maySee(principal: Principal, stream: string, type?: string): boolean {
  return Operations.some((op) => can(principal, op, stream, type));
}

function visibleTypes(context: GatewayContext, stream: string): EventTypeDef[] {
  return [...context.services.registry.state.eventTypes.values()].filter(
    (t) => t.stream === stream && maySee(context.principal, stream, t.type),
  );
}

/**
 * The event type a lifecycle mutation names, when the principal may manage it. A type it cannot
 * see is NOT_FOUND to a token that manages something (as an unknown one is), FORBIDDEN to others.
 */
function managedType(context: GatewayContext, type: string): EventTypeDef {
  const { principal, services } = context;
  const eventType = services.registry.state.eventTypes.get(type);
  if (!eventType || !maySee(principal, eventType.stream, type)) {
    if (principal.admin || principal.grants.some((g) => g.operations.includes('MANAGE'))) {
      throw gatewayError('NOT_FOUND', `event type "${type}" does not exist`);
    }
    throw gatewayError('FORBIDDEN', `this token may not manage event type "${type}"`);
  }
  if (!can(principal, 'MANAGE', eventType.stream, type)) {
    throw gatewayError(
      'FORBIDDEN',
      `this token may not manage "${type}" on stream "${eventType.stream}"`,
    );
  }
  return eventType;
}

/** Streams and event types: the queries, the registry mutations and their types. */
export function addRegistryFields(builder: Builder): void {
  const Compatibility = builder.enumType('Compatibility', {
    description: 'How a new schema version must relate to the earlier ones.',
    values: CompatibilityMode,
  });
  const SchemaVersion = builder.objectRef<SchemaVersionDef>('SchemaVersion').implement({
    fields: (t) => ({
      version: t.exposeInt('version'),
      schema: t.field({ type: 'JSON', resolve: (v) => v.schema }),
      compatibility: t.field({ type: Compatibility, resolve: (v) => v.compatibility }),
      createdAt: t.field({ type: 'DateTime', resolve: (v) => v.createdAt }),
    }),
  });
  const EventType = builder.objectRef<EventTypeDef>('EventType').implement({
    description: 'A registered event type and its versioned JSON Schema.',
    fields: (t) => ({
      type: t.exposeString('type'),
      stream: t.exposeString('stream'),
      resourceType: t.exposeString('resourceType'),
      action: t.exposeString('action'),
      graphqlType: t.exposeString('graphqlName', {
        description: 'The GraphQL object type of its events.',
      }),
      description: t.exposeString('description', { nullable: true }),
      deprecationReason: t.exposeString('deprecationReason', {
        nullable: true,
        description: 'Why the type is deprecated (deprecateEventType); null while it is not.',
      }),
      compatibility: t.field({ type: Compatibility, resolve: (e) => e.compatibility }),
      version: t.int({ resolve: (e) => e.versions.length }),
      schema: t.field({ type: 'JSON', resolve: (e) => e.versions[e.versions.length - 1]!.schema }),
      versions: t.field({ type: [SchemaVersion], resolve: (e) => e.versions }),
    }),
  });
  const Stream = builder.objectRef<StreamDef>('Stream').implement({
    description: 'A named, partitioned, retained sequence of events: a Kafka topic.',
    fields: (t) => ({
      name: t.exposeString('name'),
      partitions: t.exposeInt('partitions'),
      retentionHours: t.exposeInt('retentionHours', {
        nullable: true,
        description: 'Null: kept forever.',
      }),
      description: t.exposeString('description', { nullable: true }),
      owner: t.exposeString('owner'),
      eventTypes: t.field({
        type: [EventType],
        resolve: (s, _args, context) => visibleTypes(context, s.name),
      }),
    }),
  });

  builder.queryFields((t) => ({
    streams: t.field({
      type: [Stream],
      description: 'The streams this token may see.',
      resolve: (_root, _args, { principal, services }) =>
        [...services.registry.state.streams.values()].filter((s) => maySee(principal, s.name)),
    }),
    stream: t.field({
      type: Stream,
      nullable: true,
      args: { name: t.arg.string({ required: true }) },
      resolve: (_root, { name }, { principal, services }) => {
        const stream = services.registry.state.streams.get(name);
        return stream && maySee(principal, name) ? stream : null;
      },
    }),
    eventType: t.field({
      type: EventType,
      nullable: true,
      args: { type: t.arg.string({ required: true }) },
      resolve: (_root, { type }, { principal, services }) => {
        const eventType = services.registry.state.eventTypes.get(type);
        return eventType && maySee(principal, eventType.stream, type) ? eventType : null;
      },
    }),
  }));

  const CreateStreamInput = builder.inputType('CreateStreamInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      partitions: t.int({ description: 'Default 3.' }),
      retentionHours: t.int({ description: 'Default 168 (7 days).' }),
      description: t.string(),
    }),
  });
  const RegisterEventTypeInput = builder.inputType('RegisterEventTypeInput', {
    fields: (t) => ({
      type: t.string({
        required: true,
        description: '<resourceType>.<action>, lower case, dotted.',
      }),
      stream: t.string({ required: true }),
      schema: t.field({
        type: 'JSON',
        required: true,
        description: 'JSON Schema, draft 2020-12 or draft-07.',
      }),
      compatibility: t.field({
        type: Compatibility,
        description: 'Default BACKWARD, or the current mode.',
      }),
      description: t.string(),
    }),
  });

  builder.mutationFields((t) => ({
    createStream: t.field({
      type: Stream,
      description: 'Creates a stream and its topic. Needs MANAGE on the name.',
      args: { input: t.arg({ type: CreateStreamInput, required: true }) },
      resolve: (_root, { input }, { principal, services }) => {
        if (!can(principal, 'MANAGE', input.name)) {
          throw gatewayError('FORBIDDEN', `this token may not manage stream "${input.name}"`);
        }
        return createStream(services.registry, services.log, input, principal.name);
      },
    }),
    registerEventType: t.field({
      type: EventType,
      description:
        'Registers an event type, or a new version of its schema. Needs MANAGE on the stream.',
      args: { input: t.arg({ type: RegisterEventTypeInput, required: true }) },
      resolve: (_root, { input }, { principal, services }) => {
        if (!can(principal, 'MANAGE', input.stream, input.type)) {
          throw gatewayError(
            'FORBIDDEN',
            `this token may not register "${input.type}" on stream "${input.stream}"`,
          );
        }
        return registerEventType(
          services.registry,
          { ...input, schema: input.schema as unknown },
          principal.name,
        );
      },
    }),
    deprecateEventType: t.field({
      type: EventType,
      description:
        'Deprecates an event type: @deprecated on its publish field, a warning in every publish result. Needs MANAGE.',
      args: {
        type: t.arg.string({ required: true }),
        reason: t.arg.string({ required: true, description: 'What to use instead, and why.' }),
      },
      resolve: (_root, { type, reason }, context) => {
        managedType(context, type);
        return deprecateEventType(context.services.registry, type, reason, context.principal.name);
      },
    }),
    setCompatibility: t.field({
      type: EventType,
      description:
        "Changes the mode the type's next versions are checked against; no new version. Needs MANAGE.",
      args: {
        type: t.arg.string({ required: true }),
        compatibility: t.arg({ type: Compatibility, required: true }),
      },
      resolve: (_root, { type, compatibility }, context) => {
        managedType(context, type);
        return setCompatibility(
          context.services.registry,
          type,
          compatibility,
          context.principal.name,
        );
      },
    }),
    deleteEventType: t.boolean({
      description:
        'Deletes an event type and its versions. Its events stay and arrive as UntypedEvent. Needs MANAGE.',
      args: { type: t.arg.string({ required: true }) },
      resolve: (_root, { type }, context) => {
        managedType(context, type);
        return deleteEventType(context.services.registry, type, context.principal.name);
      },
    }),
    deleteStream: t.boolean({
      description:
        'Deletes a stream and its event types; open subscriptions on it end with NOT_FOUND. The topic and its events are kept (re-creating the stream adopts them). Needs MANAGE.',
      args: { name: t.arg.string({ required: true }) },
      resolve: (_root, { name }, { principal, services }) => {
        if (!can(principal, 'MANAGE', name)) {
          throw gatewayError('FORBIDDEN', `this token may not manage stream "${name}"`);
        }
        return deleteStream(services.registry, name, principal.name);
      },
    }),
  }));
}
