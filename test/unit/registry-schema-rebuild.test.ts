import { validateSchema, type GraphQLSchema } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { buildGatewaySchema } from '../../src/graphql/build-schema.js';
import { isEventType, RESERVED_GRAPHQL_NAMES } from '../../src/registry/event-type-name.js';
import { RegistryState } from '../../src/registry/registry-state.js';
import type { JsonSchema } from '../../src/registry/schema-validator.js';

// graphql 16 has no "exports" map: Vite resolves `graphql` to its ESM build, Node (and so
// Pothos, loaded natively) to the CommonJS one, and types of one are refused by the other.
// Point this file and the src modules it loads at the CommonJS build Pothos uses.
vi.mock('graphql', () => import('graphql/index.js'));

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Types and property names chosen so that they often want the same GraphQL names: `app.created`
// with a `region` object has AppCreatedDataRegion, and so has `app.created_data.region`.
const TYPES = [
  'app.created',
  'app.created_data.region',
  'app.created_data.region_item',
  'app.created_data_region.name',
  'app.created.data',
  'app.created.publish',
  'app.created.data_input',
  'app.created_data.input',
  'a.b_c.created',
  'a_b.c.created',
  'event.type',
  'untyped.event',
];
const SEGMENTS = ['app', 'created', 'created_data', 'region', 'data', 'input', 'item'];
const PROPERTIES = [
  'region',
  'name',
  'data',
  'input',
  'Region',
  'region-name',
  '1st',
  '__typename',
  'true',
  'item',
  'items',
];

function generator(next: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

  function eventType(): string {
    if (next() < 0.6) return pick(TYPES);
    const segments = Array.from({ length: 2 + Math.floor(next() * 2) }, () => pick(SEGMENTS));
    return segments.join('.');
  }

  function schema(depth: number): JsonSchema {
    const roll = next();
    if (depth > 3 || roll < 0.25)
      return pick<JsonSchema>([
        { type: 'string' },
        { type: 'integer' },
        { type: 'number' },
        { type: 'boolean' },
        { type: 'string', format: 'date-time' },
      ]);
    if (roll < 0.35)
      return {
        enum: pick([
          ['a', 'b'],
          ['true', 'false', 'null'],
          ['x-1', 'x_1', 'X1'],
          ['', 'ok'],
        ]),
      };
    if (roll < 0.45) return { type: 'array', items: schema(depth + 1) };
    if (roll < 0.5) return { anyOf: [schema(depth + 1), { type: 'null' }] };
    if (roll < 0.55) return { allOf: [object(depth + 1), object(depth + 1)] };
    if (roll < 0.6) return { $ref: '#/$defs/shared' };
    return object(depth + 1);
  }

  function object(depth: number): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const count = 1 + Math.floor(next() * 4);
    for (let i = 0; i < count; i++) properties[pick(PROPERTIES)] = schema(depth);
    const keys = Object.keys(properties);
    return { type: 'object', properties, required: keys.filter(() => next() < 0.5) };
  }

  function root(): JsonSchema {
    const data = object(0) as Record<string, unknown>;
    return { ...data, $defs: { shared: object(2) } };
  }

  return { pick, eventType, root };
}

function assertBuilds(state: RegistryState): GraphQLSchema {
  const schema = buildGatewaySchema(state);
  expect(validateSchema(schema)).toEqual([]);
  return schema;
}

describe('the GraphQL schema of an accepted registry', () => {
  it('uses only reserved names for the fixed part, so no event type can take one', () => {
    const state = new RegistryState();
    const names = Object.keys(buildGatewaySchema(state).getTypeMap()).filter(
      (n) => !n.startsWith('__'),
    );
    expect(names.filter((name) => !RESERVED_GRAPHQL_NAMES.has(name))).toEqual([]);
  });

  it.each([1, 2, 3, 4, 5, 6])('always builds, whatever records were accepted (seed %i)', (seed) => {
    const gen = generator(random(seed));
    const state = new RegistryState();
    state.apply({
      kind: 'stream',
      name: 's',
      partitions: 1,
      retentionHours: null,
      description: null,
      owner: 'x',
      createdAt: '2026-01-01T00:00:00Z',
    });
    let accepted = 0;
    let clashes = 0;
    for (let i = 0; i < 120; i++) {
      const type = gen.eventType();
      if (!isEventType(type)) continue;
      const existing = state.eventTypes.get(type);
      const outcome = state.apply({
        kind: 'schema',
        type,
        stream: 's',
        version: existing ? existing.versions.length + 1 : 1,
        schema: gen.root(),
        compatibility: 'NONE',
        description: null,
        owner: 'x',
        createdAt: '2026-01-01T00:00:00Z',
      });
      if (outcome.accepted) accepted++;
      else {
        expect(outcome.code).toBe('CONFLICT');
        clashes++;
      }
      if (i % 30 === 29) assertBuilds(state);
    }
    const schema = assertBuilds(state);
    for (const eventType of state.eventTypes.values())
      expect(schema.getType(eventType.graphqlName)).toBeDefined();
    // The generator must exercise both sides, or the test proves nothing.
    expect(accepted).toBeGreaterThan(5);
    expect(clashes).toBeGreaterThan(0);
  });
});
