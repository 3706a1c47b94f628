import { describe, expect, it } from 'vitest';
import {
  CompatibilityMode,
  checkCompatibility,
  readerCanRead,
} from '../../src/registry/compatibility.js';
import type { JsonSchema } from '../../src/registry/schema-validator.js';

const str = { type: 'string' };
const codes = (changes: readonly { change: string }[]) => changes.map((c) => c.change);

// A partially open model (extras must be strings) lets "b" come and go compatibly, and a
// default makes a required "b" readable from old data; dropping the default later breaks v1.
const v1 = { type: 'object', properties: { a: str }, additionalProperties: str };
const v2 = {
  ...v1,
  properties: { a: str, b: { type: 'string', default: 'none' } },
  required: ['b'],
};
const v3 = { ...v1, properties: { a: str, b: str }, required: ['b'] };

describe('transitive modes over three versions', () => {
  it('v1 → v2 and v2 → v3 are each FULL compatible, v1 → v3 is not', () => {
    expect(checkCompatibility('FULL', v2, [v1])).toEqual([]);
    expect(checkCompatibility('FULL', v3, [v1, v2])).toEqual([]);
    expect(codes(checkCompatibility('BACKWARD', v3, [v1]))).toEqual([
      'required-property-added-to-unopen-content-model',
    ]);
  });

  it('BACKWARD checks the latest version only; BACKWARD_TRANSITIVE checks them all', () => {
    expect(checkCompatibility('BACKWARD', v3, [v1, v2])).toEqual([]);
    const changes = checkCompatibility('BACKWARD_TRANSITIVE', v3, [v1, v2]);
    expect(changes).toEqual([
      {
        path: '#/properties/b',
        change: 'required-property-added-to-unopen-content-model',
        message: expect.stringMatching(/^#\/properties\/b: the new schema requires "b".*version 1/),
      },
    ]);
  });

  it('FULL_TRANSITIVE catches what FULL lets through', () => {
    expect(checkCompatibility('FULL', v3, [v1, v2])).toEqual([]);
    expect(codes(checkCompatibility('FULL_TRANSITIVE', v3, [v1, v2]))).toEqual([
      'required-property-added-to-unopen-content-model',
    ]);
  });

  it('FORWARD_TRANSITIVE: every earlier version must read the new data', () => {
    // The same chain backwards: v3 is registered first and v1 is the candidate.
    expect(checkCompatibility('FORWARD', v1, [v3, v2])).toEqual([]);
    const changes = checkCompatibility('FORWARD_TRANSITIVE', v1, [v3, v2]);
    expect(codes(changes)).toEqual(['required-property-added-to-unopen-content-model']);
    expect(changes[0]?.message).toMatch(/version 1 requires "b".*the new schema/);
  });

  it('a change breaking several versions is reported once per version', () => {
    const closed = { type: 'object', properties: { a: str, b: str }, additionalProperties: false };
    const withoutB = { ...closed, properties: { a: str } };
    const changes = checkCompatibility('BACKWARD_TRANSITIVE', withoutB, [closed, closed]);
    expect(changes.map((c) => [c.change, c.path])).toEqual([
      ['property-removed-from-closed-content-model', '#/properties/b'],
      ['property-removed-from-closed-content-model', '#/properties/b'],
    ]);
    expect(changes[0]?.message).toContain('version 1');
    expect(changes[1]?.message).toContain('version 2');
  });
});

describe('modes without checks', () => {
  const breaking = { type: 'integer' };

  it('NONE accepts any change', () => {
    expect(checkCompatibility('NONE', breaking, [str, str])).toEqual([]);
  });

  it('the first version has nothing to be compatible with', () => {
    for (const mode of CompatibilityMode)
      expect(checkCompatibility(mode, breaking, [])).toEqual([]);
  });

  it('every other mode rejects a type change', () => {
    for (const mode of CompatibilityMode.filter((m) => m !== 'NONE')) {
      expect(codes(checkCompatibility(mode, breaking, [str])).length).toBeGreaterThan(0);
    }
  });
});

const samples: Record<string, JsonSchema> = {
  'an open object': { type: 'object', properties: { a: str, n: { type: 'number', minimum: 0 } } },
  'a closed object with required fields': {
    type: 'object',
    properties: { id: { type: 'string', format: 'uuid' }, tags: { type: 'array', items: str } },
    required: ['id'],
    additionalProperties: false,
  },
  'a recursive schema': {
    $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } },
    $ref: '#/$defs/node',
  },
  'a oneOf of objects': {
    oneOf: [
      { type: 'object', properties: { kind: { const: 'a' } }, required: ['kind'] },
      { type: 'object', properties: { kind: { const: 'b' } }, required: ['kind'] },
    ],
  },
  'a boolean schema': true,
};

describe('identical schemas', () => {
  it.each(Object.entries(samples))('%s is compatible with itself in every mode', (_, schema) => {
    for (const mode of CompatibilityMode) {
      expect(
        checkCompatibility(mode, structuredClone(schema), [schema, structuredClone(schema)]),
      ).toEqual([]);
    }
    expect(readerCanRead(structuredClone(schema), schema)).toEqual([]);
  });
});

describe('readerCanRead', () => {
  it('names the reader and writer schemas and the path in its messages', () => {
    const [change] = readerCanRead({ type: 'string', maxLength: 3 }, str);
    expect(change).toEqual({
      path: '#/maxLength',
      change: 'max-length-added',
      message:
        '#/maxLength: the reader schema has maxLength 3, which the writer schema does not have',
    });
  });
});

describe('a mode this version does not know', () => {
  it('is checked as the default, BACKWARD', () => {
    const unknown = 'SOMETIMES' as CompatibilityMode;
    expect(codes(checkCompatibility(unknown, { type: 'integer' }, [str]))).toEqual([
      'type-changed',
    ]);
  });
});
