/**
 * The GraphQL types of one event type version, built with graphql-js straight from its model
 * (src/registry/graphql-model): built once per version, kept, and shared by every schema the
 * gateway assembles (schema-assembler.ts). Pothos keeps the fixed part; a thousand event types
 * through Pothos took seconds per rebuild, these take well under a millisecond each.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfigMap,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLScalarType,
  GraphQLID,
} from 'graphql';
import type {
  EventTypeGraphqlModel,
  GqlScalarName,
  GqlTypeRef,
} from '../registry/graphql-model/model-types.js';
import { createDefaultFiller, type DefaultFiller } from '../registry/default-filler.js';
import type { JsonSchema } from '../registry/schema-validator.js';
import type { EventNode } from './event-types.js';

/** What the per-type builder needs of the fixed part of the schema. */
export interface FixedTypes {
  readonly event: GraphQLInterfaceType;
  readonly json: GraphQLScalarType;
  readonly dateTime: GraphQLScalarType;
}

/** One event type version as GraphQL: every named type it adds, and its `PublishInput` field. */
export interface EventTypeGraphql {
  readonly type: string;
  readonly version: number;
  readonly deprecationReason: string | null;
  readonly model: EventTypeGraphqlModel;
  /** The event object type (`AppCreated`) first, then its data, enums and inputs. */
  readonly types: readonly GraphQLNamedType[];
  readonly publishInput: GraphQLInputObjectType;
}

export interface EventTypeGraphqlInput {
  readonly type: string;
  readonly version: number;
  readonly schema: JsonSchema;
  readonly model: EventTypeGraphqlModel;
  readonly deprecationReason: string | null;
}

/**
 * Builds the types of one event type version. `resolveFields` (the default) resolves every
 * field thunk at once, in the slice that builds the type; without it graphql-js resolves them
 * when first asked (resolveEventTypeFields, or the first operation that reaches the type).
 */
export function buildEventTypeGraphql(
  input: EventTypeGraphqlInput,
  fixed: FixedTypes,
  options: { readonly resolveFields?: boolean } = {},
): EventTypeGraphql {
  const { model } = input;
  const scalars: Record<GqlScalarName, GraphQLScalarType> = {
    String: GraphQLString,
    Int: GraphQLInt,
    Float: GraphQLFloat,
    Boolean: GraphQLBoolean,
    JSON: fixed.json,
    DateTime: fixed.dateTime,
  };
  const enums = new Map<string, GraphQLEnumType>();
  const outputs = new Map<string, GraphQLObjectType>();
  const inputs = new Map<string, GraphQLInputObjectType>();

  for (const e of model.enums) {
    const values: Record<string, { value: string }> = {};
    for (const v of e.values) values[v.name] = { value: v.value };
    enums.set(e.name, new GraphQLEnumType({ name: e.name, description: e.description, values }));
  }

  const leaf = (ref: GqlTypeRef, input: boolean): GraphQLOutputType & GraphQLInputType => {
    switch (ref.kind) {
      case 'scalar':
        return scalars[ref.name];
      case 'enum':
        return enums.get(ref.name)!;
      case 'object':
        // Objects are output or input by position; the cast meets both signatures of the caller.
        return (input ? inputs.get(ref.name)! : outputs.get(ref.name)!) as never;
      case 'list':
        // Lists of lists: GraphQL can say it, the data rarely needs it; JSON keeps it simple.
        return fixed.json;
    }
  };
  const typeOf = (ref: GqlTypeRef, nonNull: boolean, input: boolean) => {
    const named = ref.kind === 'list' ? leaf(ref.of, input) : leaf(ref, input);
    let type: GraphQLOutputType & GraphQLInputType = named;
    if (ref.kind === 'list') {
      type = new GraphQLList(ref.nonNullItems ? new GraphQLNonNull(named) : named) as never;
    }
    return nonNull ? (new GraphQLNonNull(type) as never) : type;
  };

  for (const object of model.objects) {
    outputs.set(
      object.name,
      new GraphQLObjectType<Record<string, unknown>>({
        name: object.name,
        description: object.description,
        fields: () =>
          Object.fromEntries(
            object.fields.map((field) => [
              field.name,
              {
                type: typeOf(field.type, field.nonNull, false),
                description: field.description,
                resolve: (parent: Record<string, unknown>) => parent[field.jsonName],
              },
            ]),
          ),
      }),
    );
    inputs.set(
      object.name,
      new GraphQLInputObjectType({
        name: `${object.name}Input`,
        description: object.description,
        fields: () =>
          Object.fromEntries(
            object.fields.map((field) => [
              field.name,
              { type: typeOf(field.type, field.nonNull, true), description: field.description },
            ]),
          ),
      }),
    );
  }

  const fillDefaults: DefaultFiller = createDefaultFiller(input.schema);
  const eventFields = eventFieldsOf(fixed.event);
  const eventObject = new GraphQLObjectType<EventNode>({
    name: model.typeName,
    description: `A "${model.type}" event.`,
    interfaces: [fixed.event],
    fields: (): GraphQLFieldConfigMap<EventNode, unknown> => ({
      ...(eventFields as GraphQLFieldConfigMap<EventNode, unknown>),
      data: {
        type: typeOf(model.data, model.dataNonNull, false),
        // An event written under an older version gets the defaults of fields required since.
        resolve: (node) => fillDefaults(node.event.payload),
      },
    }),
  });
  const publishInput = new GraphQLInputObjectType({
    name: model.publishInputName,
    description: `Publishes a "${model.type}" event.`,
    fields: () => ({
      data: { type: typeOf(model.data, model.dataNonNull, true) },
      resourceId: {
        type: GraphQLID,
        description: 'The resource the event is about: its Kafka key.',
      },
      tenant: { type: GraphQLString },
      id: { type: GraphQLID, description: 'Unique; made by the gateway when absent.' },
      time: { type: fixed.dateTime, description: 'When it happened; default: now.' },
      source: { type: GraphQLString, description: "Who published; default: the token's name." },
    }),
  });

  const types: GraphQLNamedType[] = [eventObject, ...outputs.values(), ...enums.values()];
  types.push(...inputs.values(), publishInput);
  const built: EventTypeGraphql = {
    type: input.type,
    version: input.version,
    deprecationReason: input.deprecationReason,
    model,
    types,
    publishInput,
  };
  if (options.resolveFields ?? true) resolveEventTypeFields(built);
  return built;
}

/** The `Event` interface's field configs, made once and shared by every event object type. */
const eventFieldConfigs = new WeakMap<
  GraphQLInterfaceType,
  GraphQLFieldConfigMap<unknown, unknown>
>();

function eventFieldsOf(event: GraphQLInterfaceType): GraphQLFieldConfigMap<unknown, unknown> {
  let fields = eventFieldConfigs.get(event);
  if (!fields) {
    fields = event.toConfig().fields;
    eventFieldConfigs.set(event, fields);
  }
  return fields;
}

/** Resolves the field thunks of an event type's types (graphql-js keeps the result). */
export function resolveEventTypeFields(built: EventTypeGraphql): void {
  for (const type of built.types) {
    if (type instanceof GraphQLObjectType || type instanceof GraphQLInputObjectType) {
      type.getFields();
    }
  }
}
