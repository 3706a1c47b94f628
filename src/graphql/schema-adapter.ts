/**
 * A GraphQLSchema of a fixed part plus many already-built named types, without walking them.
 *
 * GraphQLSchema's constructor walks every field of every type to collect the type map: at a
 * thousand event types (13,000 named types) that is 30–75 ms of one synchronous step on every
 * registry change, over the stall budget of the event loop. Here the fixed part is constructed
 * the public way (it is small), and the event types' named types, which the caller already
 * lists, are added to its type map and implementations directly.
 *
 * This is the one file that knows GraphQLSchema's private fields (STYLE rule 13: graphql 16's
 * `_typeMap`, `_implementationsMap`, `_subTypeMap`, `_mutationType`, `__validationErrors`).
 * test/unit/schema-adapter.test.ts compares what it makes with the constructor's result, field
 * by field, and fails when graphql-js changes them.
 */
import {
  GraphQLSchema,
  isInterfaceType,
  isObjectType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';

/** graphql 16's private state of a schema, as its constructor leaves it. */
interface SchemaInternals {
  _mutationType: GraphQLObjectType | null | undefined;
  _typeMap: Record<string, GraphQLNamedType>;
  _subTypeMap: Record<string, unknown>;
  _implementationsMap: Record<
    string,
    { objects: GraphQLObjectType[]; interfaces: GraphQLInterfaceType[] }
  >;
  __validationErrors: unknown;
}

/**
 * `base` with `mutation` in place of its Mutation type and `added` in its type map. The caller
 * promises what the constructor would check: `added` holds every named type reachable from it
 * and from `mutation` that `base` lacks, names are unique, and the whole is valid (the result
 * is marked valid: graphql-js will not validate it again).
 */
export function schemaWithAddedTypes(
  base: GraphQLSchema,
  mutation: GraphQLObjectType,
  added: readonly GraphQLNamedType[],
): GraphQLSchema {
  const steps = buildSteps(base, mutation, added);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same, with `pause` called between batches of types: at thousands of event types even the
 * type map alone is tens of milliseconds on a busy machine, so the gateway builds it in slices.
 */
export async function schemaWithAddedTypesInSlices(
  base: GraphQLSchema,
  mutation: GraphQLObjectType,
  added: readonly GraphQLNamedType[],
  pause: () => Promise<void> | undefined,
): Promise<GraphQLSchema> {
  const steps = buildSteps(base, mutation, added);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

/** Types added between two pauses. */
const BATCH = 256;

function* buildSteps(
  base: GraphQLSchema,
  mutation: GraphQLObjectType,
  added: readonly GraphQLNamedType[],
): Generator<void, GraphQLSchema> {
  const source = base as unknown as SchemaInternals;
  const schema = Object.assign(
    Object.create(GraphQLSchema.prototype) as GraphQLSchema,
    base,
  ) as unknown as SchemaInternals;
  const typeMap: Record<string, GraphQLNamedType> = Object.create(null);
  for (const name in source._typeMap) typeMap[name] = source._typeMap[name]!;
  typeMap[mutation.name] = mutation;
  const implementations: SchemaInternals['_implementationsMap'] = Object.create(null);
  for (const name in source._implementationsMap) {
    const { objects, interfaces } = source._implementationsMap[name]!;
    implementations[name] = { objects: [...objects], interfaces: [...interfaces] };
  }
  for (let i = 0; i < added.length; i++) {
    if (i % BATCH === BATCH - 1) yield;
    const type = added[i]!;
    if (typeMap[type.name] !== undefined) {
      throw new Error(
        `Schema must contain uniquely named types but contains multiple types named "${type.name}".`,
      );
    }
    typeMap[type.name] = type;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const iface of type.getInterfaces()) {
        const entry = (implementations[iface.name] ??= { objects: [], interfaces: [] });
        if (isObjectType(type)) entry.objects.push(type);
        else entry.interfaces.push(type);
      }
    }
  }
  schema._mutationType = mutation;
  schema._typeMap = typeMap;
  schema._implementationsMap = implementations;
  schema._subTypeMap = Object.create(null);
  schema.__validationErrors = [];
  return schema as unknown as GraphQLSchema;
}
