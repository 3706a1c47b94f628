/**
 * schema-adapter.ts builds a GraphQLSchema from graphql-js's private fields (STYLE rule 13).
 * These tests fail when graphql-js changes them: the result must equal, field by field, what
 * GraphQLSchema's constructor makes of the same types, and serve introspection the same way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import {
  getIntrospectionQuery,
  graphqlSync,
  lexicographicSortSchema,
  GraphQLSchema,
  printSchema,
  validateSchema,
  type GraphQLObjectType,
} from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import {
  assembleSchema,
  buildFixedSchema,
  eventTypeGraphqlOf,
} from '../../src/graphql/build-schema.js';
import { RegistryState } from '../../src/registry/registry-state.js';
import { platformStream } from '../../src/registry/platform-stream.js';
import type { JsonSchema } from '../../src/registry/schema-validator.js';

// graphql 16 has no "exports" map: Vite resolves `graphql` to its ESM build, Node (and so
// Pothos, loaded natively) to the CommonJS one. Point this file at the CommonJS build too.
vi.mock('graphql', () => import('graphql/index.js'));

/** The platform stream's event types: `app.created.json` → app.created. */
function platformSchemas(): { type: string; schema: JsonSchema }[] {
  return readdirSync(platformStream.schemaDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      type: file.slice(0, -'.json'.length),
      schema: JSON.parse(
        readFileSync(new URL(file, platformStream.schemaDir), 'utf8'),
      ) as JsonSchema,
    }));
}

function registry(): RegistryState {
  const state = new RegistryState();
  const createdAt = '2026-01-01T00:00:00.000Z';
  state.apply({
    kind: 'stream',
    name: 'platform',
    partitions: 1,
    retentionHours: 1,
    description: null,
    owner: 't',
    createdAt,
  });
  for (const { type, schema } of platformSchemas()) {
    const outcome = state.apply({
      kind: 'schema',
      type,
      stream: 'platform',
      version: 1,
      schema,
      compatibility: 'BACKWARD',
      description: null,
      owner: 't',
      createdAt,
    });
    expect(outcome).toEqual({ accepted: true });
  }
  state.apply({
    kind: 'deprecation',
    type: platformSchemas()[0]!.type,
    reason: 'use another',
    by: 't',
    at: createdAt,
  });
  return state;
}

describe('schemaWithAddedTypes', () => {
  const state = registry();
  const fixed = buildFixedSchema((type) => state.eventTypes.get(type)?.graphqlName);
  const kits = [...state.eventTypes.values()].map((def) => eventTypeGraphqlOf(def, fixed));
  const constructed = assembleSchema(fixed, kits);
  const adapted = assembleSchema(fixed, kits, { assumeValid: true });

  it('is a GraphQLSchema with the same own fields as the constructor makes', () => {
    expect(adapted).toBeInstanceOf(GraphQLSchema);
    expect(Object.keys(adapted).sort()).toEqual(Object.keys(constructed).sort());
  });

  it('holds the same named types, implementations and roots', () => {
    const names = (s: GraphQLSchema) => Object.keys(s.getTypeMap()).sort();
    expect(names(adapted)).toEqual(names(constructed));
    for (const name of names(constructed)) {
      const type = constructed.getType(name)!;
      // The same type objects, but Mutation and PublishInput, which each assembly makes anew.
      if (!['Mutation', 'PublishInput'].includes(name)) expect(adapted.getType(name)).toBe(type);
    }
    const event = constructed.getType('Event') as never;
    const objects = (s: GraphQLSchema) =>
      s
        .getImplementations(event)
        .objects.map((o: GraphQLObjectType) => o.name)
        .sort();
    expect(objects(adapted)).toEqual(objects(constructed));
    expect(objects(adapted).length).toBe(kits.length + 1);
    expect(adapted.getQueryType()).toBe(constructed.getQueryType());
    expect(adapted.getMutationType()?.getFields()['publish']).toBeDefined();
    expect(adapted.getSubscriptionType()).toBe(constructed.getSubscriptionType());
  });

  it('prints, validates and answers introspection as the constructed schema does', () => {
    // Type order differs (the adapter appends); the content does not.
    expect(printSchema(lexicographicSortSchema(adapted))).toBe(
      printSchema(lexicographicSortSchema(constructed)),
    );
    expect(validateSchema(constructed)).toEqual([]);
    expect(validateSchema(adapted)).toEqual([]);
    const query = getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    const a = graphqlSync({ schema: adapted, source: query });
    const c = graphqlSync({ schema: constructed, source: query });
    expect(a.errors).toBeUndefined();
    const sortTypes = (r: typeof a) => {
      const types = [...(r.data as any).__schema.types].sort((x: any, y: any) =>
        x.name.localeCompare(y.name),
      );
      return { ...(r.data as any).__schema, types };
    };
    expect(sortTypes(a)).toEqual(sortTypes(c));
    expect(JSON.stringify(a.data)).toContain('"deprecationReason":"use another"');
  });

  it('refuses a name twice, as the constructor does', () => {
    expect(() => assembleSchema(fixed, [...kits, kits[0]!], { assumeValid: true })).toThrow(
      /multiple types named/,
    );
  });
});
