/** Typed publish: the `<Type>DataInput` value GraphQL hands over → the event's data JSON. */
import type { EventTypeGraphqlModel, GqlField, GqlTypeRef } from './model-types.js';

interface ModelIndex {
  readonly fields: ReadonlyMap<string, ReadonlyMap<string, GqlField>>;
  readonly enumValues: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const indexes = new WeakMap<EventTypeGraphqlModel, ModelIndex>();

/**
 * Maps sanitized field names back to their JSON names, recursively, so the data validates
 * against the registered schema. Enum values may come as GraphQL names or as the JSON strings
 * (when the GraphQL layer maps them already); both give the JSON string. A Date (from a DateTime
 * scalar that parses to one) becomes its RFC 3339 string. Keys the model does not know are kept,
 * for the schema validation to judge.
 */
export function inputToData(model: EventTypeGraphqlModel, value: unknown): unknown {
  return convert(model.data, value, indexOf(model));
}

function convert(type: GqlTypeRef, value: unknown, index: ModelIndex): unknown {
  if (value === null || value === undefined) return value;
  switch (type.kind) {
    case 'scalar':
      return type.name === 'DateTime' && value instanceof Date ? value.toISOString() : value;
    case 'enum':
      return typeof value === 'string'
        ? (index.enumValues.get(type.name)?.get(value) ?? value)
        : value;
    case 'list':
      return Array.isArray(value) ? value.map((item) => convert(type.of, item, index)) : value;
    case 'object': {
      const fields = index.fields.get(type.name);
      if (!fields || typeof value !== 'object' || Array.isArray(value)) return value;
      const data: Record<string, unknown> = {};
      for (const [name, fieldValue] of Object.entries(value)) {
        if (fieldValue === undefined) continue;
        const field = fields.get(name);
        if (field) data[field.jsonName] = convert(field.type, fieldValue, index);
        else data[name] = fieldValue;
      }
      return data;
    }
  }
}

function indexOf(model: EventTypeGraphqlModel): ModelIndex {
  let index = indexes.get(model);
  if (!index) {
    index = {
      fields: new Map(
        model.objects.map((object) => [
          object.name,
          new Map(object.fields.map((f) => [f.name, f])),
        ]),
      ),
      enumValues: new Map(
        model.enums.map((e) => [e.name, new Map(e.values.map((v) => [v.name, v.value]))]),
      ),
    };
    indexes.set(model, index);
  }
  return index;
}
