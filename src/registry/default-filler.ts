/**
 * Defaults for old events: when a later schema version requires a field and gives it a
 * `default` (what BACKWARD compatibility allows), events written before it lack the field. On
 * delivery they get the default, so a non-null GraphQL field never fails on an old event.
 */
import { isSchemaObject, resolveRef, type SchemaObject } from './graphql-model/json-schema-view.js';
import { stringList } from './graphql-model/merge-all-of.js';
import type { JsonSchema } from './schema-validator.js';

/** The data with missing required fields filled from their defaults; the same value when none is missing. */
export type DefaultFiller = (data: unknown) => unknown;

interface ObjectDefaults {
  /** Required properties with a default, and that default. */
  readonly defaults: ReadonlyMap<string, unknown>;
  /** Properties whose own object schema has defaults somewhere below. */
  readonly nested: ReadonlyMap<string, ObjectDefaults>;
}

/** Nesting followed into the schema; deeper objects are left as they are. */
const MAX_DEPTH = 16;
const identity: DefaultFiller = (data) => data;

/**
 * The filler of `schema`, planned when it is first called: a starting gateway builds the types
 * of thousands of event types, and delivers events of only some of them at first.
 */
export function createDefaultFiller(schema: JsonSchema): DefaultFiller {
  let filler: DefaultFiller | undefined;
  return (data) => (filler ??= plannedFiller(schema))(data);
}

function plannedFiller(schema: JsonSchema): DefaultFiller {
  const plan = planOf(schema, schema, 0);
  if (!plan) return identity;
  // Subscribers of one event share its payload object: fill it once, not once per subscriber.
  const filled = new WeakMap<object, unknown>();
  return (data) => {
    if (!isSchemaObject(data)) return data;
    let result = filled.get(data);
    if (result === undefined) {
      result = fill(plan, data);
      filled.set(data, result);
    }
    return result;
  };
}

function planOf(root: JsonSchema, schema: JsonSchema, depth: number): ObjectDefaults | undefined {
  let node: unknown = schema;
  // Follow a chain of local $refs (a few hops at most).
  for (let hops = 0; isSchemaObject(node) && typeof node['$ref'] === 'string' && hops < 8; hops++) {
    node = resolveRef(root, node['$ref'])?.schema;
  }
  if (!isSchemaObject(node) || depth > MAX_DEPTH) return undefined;
  const properties = node['properties'];
  if (!isSchemaObject(properties)) return undefined;
  const required = new Set(stringList(node['required']));
  const defaults = new Map<string, unknown>();
  const nested = new Map<string, ObjectDefaults>();
  for (const [name, property] of Object.entries(properties as Record<string, JsonSchema>)) {
    const resolved = resolvedObject(root, property);
    if (required.has(name) && resolved && 'default' in resolved) {
      defaults.set(name, resolved['default']);
    }
    const below = planOf(root, property, depth + 1);
    if (below) nested.set(name, below);
  }
  return defaults.size > 0 || nested.size > 0 ? { defaults, nested } : undefined;
}

function resolvedObject(root: JsonSchema, schema: JsonSchema): SchemaObject | undefined {
  if (!isSchemaObject(schema)) return undefined;
  if ('default' in schema || typeof schema['$ref'] !== 'string') return schema;
  const target = resolveRef(root, schema['$ref'])?.schema;
  return isSchemaObject(target) ? target : undefined;
}

function fill(plan: ObjectDefaults, data: SchemaObject): SchemaObject {
  let copy: Record<string, unknown> | undefined;
  for (const [name, value] of plan.defaults) {
    if (data[name] !== undefined) continue;
    copy ??= { ...data };
    copy[name] = structuredClone(value);
  }
  for (const [name, below] of plan.nested) {
    const value = data[name];
    if (!isSchemaObject(value)) continue;
    const filled = fill(below, value);
    if (filled === value) continue;
    copy ??= { ...data };
    copy[name] = filled;
  }
  return copy ?? data;
}
