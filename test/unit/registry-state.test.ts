import { describe, expect, it } from 'vitest';
import type { SchemaVersionRecord, StreamRecord } from '../../src/registry/registry-records.js';
import { RegistryState, type ApplyOutcome } from '../../src/registry/registry-state.js';
import type { JsonSchema } from '../../src/registry/schema-validator.js';

const createdAt = '2026-01-01T00:00:00.000Z';

function stream(name: string, settings: Partial<StreamRecord> = {}): StreamRecord {
  return {
    kind: 'stream',
    name,
    partitions: 3,
    retentionHours: 168,
    description: null,
    owner: 'admin',
    createdAt,
    ...settings,
  };
}

function schemaRecord(
  type: string,
  schema: JsonSchema,
  settings: Partial<SchemaVersionRecord> = {},
): SchemaVersionRecord {
  return {
    kind: 'schema',
    type,
    stream: 'orders',
    version: 1,
    schema,
    compatibility: 'BACKWARD',
    description: null,
    owner: 'admin',
    createdAt,
    ...settings,
  };
}

const v1: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, total: { type: 'number' } },
  required: ['id'],
  additionalProperties: false,
};
/** v1 plus an optional field: BACKWARD compatible, as v1 is closed (its data never has `note`). */
const v2: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, total: { type: 'number' }, note: { type: 'string' } },
  required: ['id'],
  additionalProperties: false,
};

function withOrders(): RegistryState {
  const state = new RegistryState();
  expect(state.apply(stream('orders'))).toEqual({ accepted: true });
  return state;
}

function refusal(outcome: ApplyOutcome): {
  code: string;
  message: string;
  extensions?: Record<string, unknown>;
} {
  if (outcome.accepted) throw new Error('expected the record to be refused');
  return outcome;
}

describe('RegistryState: streams', () => {
  it('keeps the first stream record and refuses one with other settings, saying which', () => {
    const state = withOrders();
    const outcome = refusal(state.apply(stream('orders', { partitions: 12 })));
    expect(outcome.code).toBe('CONFLICT');
    expect(outcome.message).toContain('"orders"');
    expect(outcome.message).toContain('3 partitions');
    expect(state.streams.get('orders')?.partitions).toBe(3);
  });

  it('accepts the same stream again without changing it or the schema revision', () => {
    const state = withOrders();
    const revision = state.schemaRevision;
    expect(state.apply(stream('orders', { description: 'other words', owner: 'someone' }))).toEqual(
      {
        accepted: true,
      },
    );
    expect(state.streams.get('orders')).toMatchObject({ description: null, owner: 'admin' });
    expect(state.schemaRevision).toBe(revision);
  });
});

describe('RegistryState: event types', () => {
  it('refuses an event type on an unknown stream with NOT_FOUND', () => {
    const state = new RegistryState();
    const outcome = refusal(state.apply(schemaRecord('order.placed', v1)));
    expect(outcome.code).toBe('NOT_FOUND');
    expect(outcome.message).toContain('"orders"');
    expect(state.eventTypes.size).toBe(0);
  });

  it('derives resource type, action and GraphQL name, and starts at version 1', () => {
    const state = withOrders();
    expect(state.apply(schemaRecord('order.line_item.added', v1))).toEqual({ accepted: true });
    expect(state.eventTypes.get('order.line_item.added')).toMatchObject({
      stream: 'orders',
      resourceType: 'order.line_item',
      action: 'added',
      graphqlName: 'OrderLineItemAdded',
      compatibility: 'BACKWARD',
      versions: [{ version: 1, schema: v1 }],
    });
  });

  it('numbers versions 1, 2, 3 and keeps every schema in order', () => {
    const state = withOrders();
    const v3: JsonSchema = {
      ...v2,
      properties: { ...(v2 as { properties: object }).properties, tag: { type: 'string' } },
    };
    state.apply(schemaRecord('order.placed', v1));
    expect(state.apply(schemaRecord('order.placed', v2, { version: 2 }))).toEqual({
      accepted: true,
    });
    expect(state.apply(schemaRecord('order.placed', v3, { version: 3 }))).toEqual({
      accepted: true,
    });
    const versions = state.eventTypes.get('order.placed')!.versions;
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions.map((v) => v.schema)).toEqual([v1, v2, v3]);
  });

  it('treats an identical re-registration as a no-op, whatever its key order or version number', () => {
    const state = withOrders();
    state.apply(schemaRecord('order.placed', v1));
    const revision = state.schemaRevision;
    const reordered: JsonSchema = {
      additionalProperties: false,
      required: ['id'],
      properties: { total: { type: 'number' }, id: { type: 'string' } },
      type: 'object',
    };
    // A second instance that raced with the first wrote version 1 too: same schema, so it wins as well.
    expect(state.apply(schemaRecord('order.placed', reordered))).toEqual({ accepted: true });
    expect(state.apply(schemaRecord('order.placed', v1, { version: 2 }))).toEqual({
      accepted: true,
    });
    expect(state.eventTypes.get('order.placed')!.versions).toHaveLength(1);
    expect(state.schemaRevision).toBe(revision);
  });

  it('lets the first of two different version-1 records win; the second gets CONFLICT', () => {
    const state = withOrders();
    expect(state.apply(schemaRecord('order.placed', v1))).toEqual({ accepted: true });
    const outcome = refusal(state.apply(schemaRecord('order.placed', v2)));
    expect(outcome.code).toBe('CONFLICT');
    expect(outcome.message).toMatch(
      /"order\.placed" changed meanwhile \(now at version 1\); retry/,
    );
    expect(state.eventTypes.get('order.placed')!.versions.map((v) => v.schema)).toEqual([v1]);
  });

  it('refuses a version that skips ahead, and a version 2 of a type never registered', () => {
    const state = withOrders();
    expect(refusal(state.apply(schemaRecord('order.placed', v1, { version: 2 }))).code).toBe(
      'CONFLICT',
    );
    state.apply(schemaRecord('order.placed', v1));
    expect(refusal(state.apply(schemaRecord('order.placed', v2, { version: 3 }))).code).toBe(
      'CONFLICT',
    );
    expect(state.eventTypes.get('order.placed')!.versions).toHaveLength(1);
  });

  it('refuses moving a type to another stream with CONFLICT naming its stream', () => {
    const state = withOrders();
    state.apply(stream('billing'));
    state.apply(schemaRecord('order.placed', v1));
    const outcome = refusal(state.apply(schemaRecord('order.placed', v1, { stream: 'billing' })));
    expect(outcome).toMatchObject({
      code: 'CONFLICT',
      message: 'event type "order.placed" belongs to stream "orders"',
    });
  });

  it('refuses an incompatible version with INCOMPATIBLE_SCHEMA naming each change and its path', () => {
    const state = withOrders();
    state.apply(schemaRecord('order.placed', v1));
    const breaking: JsonSchema = {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        total: { type: 'number' },
        region: { type: 'string' },
      },
      required: ['id', 'region'],
    };
    const outcome = refusal(state.apply(schemaRecord('order.placed', breaking, { version: 2 })));
    expect(outcome.code).toBe('INCOMPATIBLE_SCHEMA');
    expect(outcome.message).toContain('not BACKWARD compatible');
    expect(outcome.message).toContain('type-changed at #/properties/id');
    expect(outcome.message).toContain('at #/properties/region');
    const changes = outcome.extensions?.['changes'] as {
      path: string;
      change: string;
      message: string;
    }[];
    expect(changes.map((c) => c.path).sort()).toEqual(['#/properties/id', '#/properties/region']);
    expect(changes.every((c) => c.message.length > 0)).toBe(true);
    expect(state.eventTypes.get('order.placed')!.versions).toHaveLength(1);
  });

  it('checks a new version in the mode it asks for, and keeps that mode', () => {
    const state = withOrders();
    state.apply(schemaRecord('order.placed', v1));
    const unrelated: JsonSchema = {
      type: 'object',
      properties: { sku: { type: 'integer' } },
      required: ['sku'],
    };
    expect(
      state.apply(schemaRecord('order.placed', unrelated, { version: 2, compatibility: 'NONE' })),
    ).toEqual({
      accepted: true,
    });
    expect(state.eventTypes.get('order.placed')!.compatibility).toBe('NONE');
  });
});

describe('RegistryState: GraphQL names', () => {
  it('refuses two types with the same PascalCase name, naming both types and the name', () => {
    const state = withOrders();
    state.apply(schemaRecord('a.b_c.created', v1));
    const outcome = refusal(state.apply(schemaRecord('a_b.c.created', v1)));
    expect(outcome.code).toBe('CONFLICT');
    expect(outcome.message).toContain('"a_b.c.created"');
    expect(outcome.message).toContain('"a.b_c.created"');
    expect(outcome.message).toContain('"ABCCreated"');
    expect(outcome.extensions).toEqual({
      graphqlName: 'ABCCreated',
      conflictingType: 'a.b_c.created',
    });
    expect(state.eventTypes.has('a_b.c.created')).toBe(false);
  });

  it("refuses a type named like another type's nested object, in either order", () => {
    const withRegion: JsonSchema = {
      type: 'object',
      properties: { region: { type: 'object', properties: { name: { type: 'string' } } } },
    };
    const first = withOrders();
    first.apply(schemaRecord('app.created', withRegion));
    const late = refusal(first.apply(schemaRecord('app.created_data.region', v1)));
    expect(late.code).toBe('CONFLICT');
    expect(late.message).toContain('"AppCreatedDataRegion"');
    expect(late.message).toContain('a nested type of its schema of "app.created"');

    const second = withOrders();
    second.apply(schemaRecord('app.created_data.region', v1));
    const nested = refusal(second.apply(schemaRecord('app.created', withRegion)));
    expect(nested.code).toBe('CONFLICT');
    expect(nested.message).toContain('the event object type of "app.created_data.region"');
  });

  it('refuses a new version whose nested objects would take names another type has', () => {
    const state = withOrders();
    state.apply(schemaRecord('app.created', v1));
    state.apply(schemaRecord('app.created_data.region', v1));
    const withRegion: JsonSchema = {
      ...v1,
      properties: {
        ...(v1 as { properties: object }).properties,
        region: { type: 'object', properties: { name: { type: 'string' } } },
      },
    };
    const outcome = refusal(
      state.apply(schemaRecord('app.created', withRegion, { version: 2, compatibility: 'NONE' })),
    );
    expect(outcome).toMatchObject({
      code: 'CONFLICT',
      extensions: { graphqlName: 'AppCreatedDataRegion' },
    });
    expect(state.eventTypes.get('app.created')!.versions).toHaveLength(1);
  });

  it('frees the names of an earlier version for other types', () => {
    const state = withOrders();
    const withRegion: JsonSchema = {
      type: 'object',
      properties: { region: { type: 'object', properties: { name: { type: 'string' } } } },
    };
    state.apply(schemaRecord('app.created', withRegion));
    const flat: JsonSchema = { type: 'object', properties: { region: { type: 'string' } } };
    expect(
      state.apply(schemaRecord('app.created', flat, { version: 2, compatibility: 'NONE' })),
    ).toEqual({
      accepted: true,
    });
    expect(state.apply(schemaRecord('app.created_data.region', v1))).toEqual({ accepted: true });
  });

  it('refuses a type whose GraphQL name is one of the gateway schema', () => {
    const state = withOrders();
    const outcome = refusal(state.apply(schemaRecord('event.type', v1)));
    expect(outcome.code).toBe('CONFLICT');
    expect(outcome.message).toContain('"EventType"');
    expect(outcome.message).toContain('the gateway schema');
  });

  it('check() answers as apply() would, and changes nothing', () => {
    const state = withOrders();
    const revision = state.schemaRevision;
    expect(state.check(schemaRecord('order.placed', v1))).toEqual({ accepted: true });
    expect(state.eventTypes.size).toBe(0);
    expect(state.schemaRevision).toBe(revision);
    state.apply(schemaRecord('a.b_c.created', v1));
    expect(state.check(schemaRecord('a_b.c.created', v1))).toEqual(
      state.apply(schemaRecord('a_b.c.created', v1)),
    );
  });
});

describe('RegistryState: tokens', () => {
  it('keeps the first token with an id and the first revocation time', () => {
    const state = new RegistryState();
    expect(state.apply({ kind: 'token', id: 't1', token: { name: 'first' } })).toEqual({
      accepted: true,
    });
    expect(refusal(state.apply({ kind: 'token', id: 't1', token: { name: 'second' } })).code).toBe(
      'CONFLICT',
    );
    expect(state.tokens.get('t1')!.token).toEqual({ name: 'first' });
    const revoke = (revokedAt: string) =>
      state.apply({ kind: 'revocation', id: 't1', revokedBy: 'admin', revokedAt });
    expect(revoke('2026-01-02T00:00:00.000Z')).toEqual({ accepted: true });
    expect(revoke('2026-01-03T00:00:00.000Z')).toEqual({ accepted: true });
    expect(state.tokens.get('t1')!.revokedAt).toBe('2026-01-02T00:00:00.000Z');
    expect(
      refusal(
        state.apply({ kind: 'revocation', id: 'nope', revokedBy: 'admin', revokedAt: createdAt }),
      ).code,
    ).toBe('NOT_FOUND');
  });
});

describe('RegistryState: determinism', () => {
  it('reaches the same registry from the same records on every instance', () => {
    const records = [
      stream('orders'),
      schemaRecord('order.placed', v1),
      schemaRecord('order.placed', v2),
      stream('orders', { partitions: 9 }),
      schemaRecord('order.placed', v2, { version: 2 }),
      schemaRecord('a.b_c.created', v1),
      schemaRecord('a_b.c.created', v1),
    ];
    const outcomes = (state: RegistryState) => records.map((r) => state.apply(r).accepted);
    const a = new RegistryState();
    const b = new RegistryState();
    expect(outcomes(a)).toEqual([true, true, false, false, true, true, false]);
    expect(outcomes(b)).toEqual(outcomes(new RegistryState()));
    expect([...b.eventTypes.keys()]).toEqual([...a.eventTypes.keys()]);
    expect(b.eventTypes.get('order.placed')!.versions.map((v) => v.schema)).toEqual([v1, v2]);
  });
});
