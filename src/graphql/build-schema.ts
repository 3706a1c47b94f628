import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { buildEventTypeModel } from '../registry/graphql-model/build-model.js';
import type { RegistryState } from '../registry/registry-state.js';
import { createBuilder } from './builder.js';
import { addEventInterface, addRegisteredEventTypes, addUntypedEvent } from './event-types.js';
import { addGroupFields } from './group-fields.js';
import { addPublishFields } from './publish-fields.js';
import { addRegistryFields } from './registry-fields.js';
import { addSubscriptionFields } from './subscription-fields.js';
import { addTokenFields } from './token-fields.js';

/**
 * The whole GraphQL schema for the registry as it is now: the fixed part of shared/API.md plus
 * one object type (and typed publish input) per registered event type.
 */
export function buildGatewaySchema(state: RegistryState): GraphQLSchema {
  const builder = createBuilder();
  const eventTypes = [...state.eventTypes.values()].sort((a, b) => a.type.localeCompare(b.type));
  const models = eventTypes.map((t) =>
    buildEventTypeModel(t.type, t.versions[t.versions.length - 1]!.schema),
  );
  const typeNames = new Map(eventTypes.map((t) => [t.type, t.graphqlName]));

  builder.queryType({});
  builder.mutationType({});
  const eventRef = addEventInterface(builder, typeNames);
  addUntypedEvent(builder, eventRef);
  const typed = addRegisteredEventTypes(builder, eventRef, models);
  const subscriptionInputs = addSubscriptionFields(builder, eventRef);
  addGroupFields(builder, eventRef, subscriptionInputs);
  addPublishFields(builder, typed);
  addRegistryFields(builder);
  addTokenFields(builder);
  return lexicographicSortSchema(builder.toSchema());
}
