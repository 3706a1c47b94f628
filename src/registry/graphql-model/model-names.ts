/** The GraphQL names an event type's model puts into the schema, and clashes between models. */
import {
  eventTypeGraphqlNames,
  ownedTypeNames,
  RESERVED_GRAPHQL_NAMES,
} from '../event-type-name.js';
import type { EventTypeGraphqlModel } from './model-types.js';

/**
 * Every type name the model needs: the event type, its publish input, its objects with their
 * input types and its enums, and the data type names even when the data is JSON (a later
 * version may type it).
 */
export function modelTypeNames(model: EventTypeGraphqlModel): string[] {
  const names = new Set(ownedTypeNames(eventTypeGraphqlNames(model.type)));
  for (const object of model.objects) {
    names.add(object.name);
    names.add(`${object.name}Input`);
  }
  for (const enumModel of model.enums) names.add(enumModel.name);
  return [...names];
}

/**
 * The first type name `model` shares with a reserved name or with another model (nested
 * objects included: `app.created`'s `AppCreatedDataRegion` against the event type
 * `app.created_data.region`), or undefined. Models of the same event type are skipped.
 */
export function findModelNameClash(
  model: EventTypeGraphqlModel,
  others: Iterable<EventTypeGraphqlModel>,
  reserved: ReadonlySet<string> = RESERVED_GRAPHQL_NAMES,
): string | undefined {
  const mine = modelTypeNames(model);
  const reservedClash = mine.find((name) => reserved.has(name));
  if (reservedClash) return reservedClash;
  for (const other of others) {
    if (other.type === model.type) continue;
    const theirs = new Set(modelTypeNames(other));
    const clash = mine.find((name) => theirs.has(name));
    if (clash) return clash;
  }
  return undefined;
}
