import {
  assertValidSchema,
  GraphQLInputObjectType,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  isIntrospectionType,
  lexicographicSortSchema,
  type GraphQLFieldConfig,
  type GraphQLInputFieldConfigMap,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLScalarType,
} from 'graphql';
import { buildEventTypeModel } from '../registry/graphql-model/build-model.js';
import type { EventTypeDef, RegistryState } from '../registry/registry-state.js';
import { createBuilder } from './builder.js';
import type { GatewayContext } from './context.js';
import {
  buildEventTypeGraphql,
  type EventTypeGraphql,
  type FixedTypes,
} from './event-type-graphql.js';
import { schemaWithAddedTypes, schemaWithAddedTypesInSlices } from './schema-adapter.js';
import { addEventInterface, addUntypedEvent } from './event-types.js';
import { addPublishFields, publishTyped } from './publish-fields.js';
import { addGroupFields } from './group-fields.js';
import { addRegistryFields } from './registry-fields.js';
import { addSubscriptionFields } from './subscription-fields.js';
import { addTokenFields } from './token-fields.js';

/** The part of the schema that does not change with the registry, built once with Pothos. */
export interface FixedSchema extends FixedTypes {
  readonly schema: GraphQLSchema;
  /** Its named types but Mutation (rebuilt with the typed `publish`) and the introspection types. */
  readonly types: readonly GraphQLNamedType[];
  readonly mutation: GraphQLObjectType;
  readonly publishResult: GraphQLObjectType;
}

/**
 * The fixed part of shared/API.md. `graphqlNameOf` tells `Event`'s resolveType which object
 * type an event type has now (the registry's, read at each event).
 */
export function buildFixedSchema(graphqlNameOf: (type: string) => string | undefined): FixedSchema {
  const builder = createBuilder();
  builder.queryType({});
  builder.mutationType({});
  const eventRef = addEventInterface(builder, graphqlNameOf);
  addUntypedEvent(builder, eventRef);
  const subscriptionInputs = addSubscriptionFields(builder, eventRef);
  addGroupFields(builder, eventRef, subscriptionInputs);
  addPublishFields(builder);
  addRegistryFields(builder);
  addTokenFields(builder);
  const schema = builder.toSchema();
  assertValidSchema(schema);
  const mutation = schema.getMutationType()!;
  return {
    schema,
    mutation,
    types: Object.values(schema.getTypeMap()).filter(
      (type) => type !== mutation && !isIntrospectionType(type),
    ),
    event: schema.getType('Event') as GraphQLInterfaceType,
    json: schema.getType('JSON') as GraphQLScalarType,
    dateTime: schema.getType('DateTime') as GraphQLScalarType,
    publishResult: schema.getType('PublishResult') as GraphQLObjectType,
  };
}

/** The GraphQL types of an event type as the registry holds it now (its latest version). */
export function eventTypeGraphqlOf(
  def: EventTypeDef,
  fixed: FixedTypes,
  options: { readonly resolveFields?: boolean } = {},
): EventTypeGraphql {
  const latest = def.versions[def.versions.length - 1]!;
  return buildEventTypeGraphql(
    {
      type: def.type,
      version: latest.version,
      schema: latest.schema,
      model: def.graphqlModel ?? buildEventTypeModel(def.type, latest.schema),
      deprecationReason: def.deprecationReason,
    },
    fixed,
    options,
  );
}

/**
 * The fixed part plus the given event types: `PublishInput` (@oneOf, one field per type, the
 * deprecated ones marked @deprecated) and `Mutation.publish` when there is at least one.
 * `assumeValid`: the fixed part and each event type's types are valid on their own (tests
 * validate them) and the registry refuses clashing names, so the built types are only added to
 * the fixed schema's type map (schema-adapter.ts), not walked again: a few milliseconds at
 * thousands of event types. Without it, graphql-js constructs and later validates the whole.
 */
export function assembleSchema(
  fixed: FixedSchema,
  eventTypes: readonly EventTypeGraphql[],
  options: { readonly assumeValid?: boolean } = {},
): GraphQLSchema {
  const { mutation, types } = runToEnd(schemaParts(fixed, eventTypes));
  if (options.assumeValid) {
    return schemaWithAddedTypes(fixed.schema, mutation, types.slice(fixed.types.length));
  }
  return new GraphQLSchema({
    query: fixed.schema.getQueryType(),
    mutation,
    subscription: fixed.schema.getSubscriptionType(),
    directives: fixed.schema.getDirectives(),
    types,
  });
}

/** assembleSchema with `assumeValid`, calling `pause` between slices of the work. */
export async function assembleSchemaInSlices(
  fixed: FixedSchema,
  eventTypes: readonly EventTypeGraphql[],
  pause: () => Promise<void> | undefined,
): Promise<GraphQLSchema> {
  const parts = schemaParts(fixed, eventTypes);
  let step = parts.next();
  while (!step.done) {
    await pause();
    step = parts.next();
  }
  const { mutation, types } = step.value;
  return schemaWithAddedTypesInSlices(
    fixed.schema,
    mutation,
    types.slice(fixed.types.length),
    pause,
  );
}

/** Event types taken between two pauses of schemaParts. */
const PARTS_BATCH = 128;

/**
 * The typed Mutation and every named type of the schema: the fixed part's, then `PublishInput`,
 * then each event type's. Yields between batches of event types.
 */
function* schemaParts(
  fixed: FixedSchema,
  eventTypes: readonly EventTypeGraphql[],
): Generator<void, { mutation: GraphQLObjectType; types: GraphQLNamedType[] }> {
  const mutationConfig = fixed.mutation.toConfig();
  let fields = mutationConfig.fields;
  const types: GraphQLNamedType[] = [...fixed.types];
  if (eventTypes.length > 0) {
    const byField = new Map<string, EventTypeGraphql>();
    const publishFields: GraphQLInputFieldConfigMap = {};
    // PublishInput's place, ahead of the event types' own types.
    const publishInputAt = types.push(fixed.publishResult) - 1;
    for (let i = 0; i < eventTypes.length; i++) {
      if (i % PARTS_BATCH === PARTS_BATCH - 1) yield;
      const t = eventTypes[i]!;
      byField.set(t.model.publishFieldName, t);
      publishFields[t.model.publishFieldName] = {
        type: t.publishInput,
        ...(t.deprecationReason !== null ? { deprecationReason: t.deprecationReason } : {}),
      };
      for (const type of t.types) types.push(type);
    }
    const publishInput = new GraphQLInputObjectType({
      name: 'PublishInput',
      description: 'Exactly one field: the event to publish, typed by its registered schema.',
      isOneOf: true,
      fields: publishFields,
    });
    types[publishInputAt] = publishInput;
    const publish: GraphQLFieldConfig<unknown, GatewayContext, { event: Record<string, unknown> }> =
      {
        type: new GraphQLNonNull(fixed.publishResult),
        description: 'Typed publish: one field per registered event type, in camelCase.',
        args: { event: { type: new GraphQLNonNull(publishInput) } },
        resolve: (_root, { event }, context) => {
          const [field, value] = Object.entries(event)[0]!;
          return publishTyped(context, byField.get(field)!.model, value as Record<string, unknown>);
        },
      };
    fields = { publish: publish as GraphQLFieldConfig<unknown, unknown>, ...fields };
  }
  return { mutation: new GraphQLObjectType({ ...mutationConfig, fields }), types };
}

function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The whole GraphQL schema for the registry as it is now, built in one go and sorted: for the
 * printed SDL and for tests. The gateway itself keeps built types and assembles incrementally
 * (schema-assembler.ts).
 */
export function buildGatewaySchema(state: RegistryState): GraphQLSchema {
  const fixed = buildFixedSchema((type) => state.eventTypes.get(type)?.graphqlName);
  const eventTypes = [...state.eventTypes.values()]
    .sort((a, b) => a.type.localeCompare(b.type))
    .map((def) => eventTypeGraphqlOf(def, fixed));
  return lexicographicSortSchema(assembleSchema(fixed, eventTypes));
}
