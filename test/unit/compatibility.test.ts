import { describe, expect, it } from 'vitest';
import {
  checkCompatibility,
  readerCanRead,
  type SchemaChange,
} from '../../src/registry/compatibility.js';
import type { JsonSchema } from '../../src/registry/schema-validator.js';

/**
 * One row per rule of Confluent's JSON Schema compatibility (plus the keywords it leaves out),
 * each checked in both directions. v1 is the registered version, v2 the candidate:
 * BACKWARD = v2 reads data written with v1, FORWARD = v1 reads data written with v2.
 * An outcome is 'ok' or the exact [change, path] pairs reported.
 */
type Outcome = 'ok' | ReadonlyArray<readonly [change: string, path: string]>;
interface Rule {
  readonly rule: string;
  readonly v1: JsonSchema;
  readonly v2: JsonSchema;
  readonly backward: Outcome;
  readonly forward: Outcome;
}

const str = { type: 'string' };
const int = { type: 'integer' };
const open = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...extra,
});
const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  open(properties, { additionalProperties: false, ...extra });
const partial = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  open(properties, { additionalProperties: str, ...extra });
const patterned = (properties: Record<string, unknown>) =>
  closed(properties, { patternProperties: { '^x_': str } });
const region = (name: Record<string, unknown>) => ({
  $defs: { Region: closed({ name, code: str }) },
  type: 'object',
  properties: { region: { $ref: '#/$defs/Region' } },
});
const tree = (value: Record<string, unknown>) => ({
  type: 'object',
  properties: { value, children: { type: 'array', items: { $ref: '#' } } },
});

const rules: readonly Rule[] = [
  // Content models: adding and removing properties
  {
    rule: 'property added to an open content model',
    v1: open({ a: str }),
    v2: open({ a: str, b: int }),
    backward: [['property-added-to-open-content-model', '#/properties/b']],
    forward: 'ok',
  },
  {
    rule: 'required property added to an open content model',
    v1: open({ a: str }),
    v2: open({ a: str, b: int }, { required: ['b'] }),
    backward: [['required-property-added-to-open-content-model', '#/properties/b']],
    forward: 'ok',
  },
  {
    rule: 'property added to a closed content model',
    v1: closed({ a: str }),
    v2: closed({ a: str, b: int }),
    backward: 'ok',
    forward: [['property-removed-from-closed-content-model', '#/properties/b']],
  },
  {
    rule: 'property removed from an open content model',
    v1: open({ a: str, b: int }),
    v2: open({ a: str }),
    backward: 'ok',
    forward: [['property-added-to-open-content-model', '#/properties/b']],
  },
  {
    rule: 'property removed from a closed content model',
    v1: closed({ a: str, b: int }),
    v2: closed({ a: str }),
    backward: [['property-removed-from-closed-content-model', '#/properties/b']],
    forward: 'ok',
  },
  {
    rule: 'property with an empty schema added to an open content model',
    v1: open({ a: str }),
    v2: open({ a: str, b: {} }),
    backward: 'ok',
    forward: 'ok',
  },
  {
    rule: 'property with a false schema removed from a closed content model',
    v1: closed({ a: str, b: false }),
    v2: closed({ a: str }),
    backward: 'ok',
    forward: 'ok',
  },
  {
    rule: 'required property added to a closed content model',
    v1: closed({ a: str }),
    v2: closed({ a: str, b: str }, { required: ['b'] }),
    backward: [['required-property-added-to-unopen-content-model', '#/properties/b']],
    forward: [['property-removed-from-closed-content-model', '#/properties/b']],
  },
  {
    rule: 'required property with a default added to a closed content model',
    v1: closed({ a: str }),
    v2: closed({ a: str, b: { type: 'string', default: 'x' } }, { required: ['b'] }),
    backward: 'ok',
    forward: [['property-removed-from-closed-content-model', '#/properties/b']],
  },
  {
    rule: 'property added, covered by a partially open content model (additionalProperties)',
    v1: partial({ a: str }),
    v2: partial({ a: str, b: str }),
    backward: 'ok',
    forward: 'ok',
  },
  {
    rule: 'property added, not covered by a partially open content model (additionalProperties)',
    v1: partial({ a: str }),
    v2: partial({ a: str, b: int }),
    backward: [['property-added-not-covered-by-partially-open-content-model', '#/properties/b']],
    forward: [['property-removed-not-covered-by-partially-open-content-model', '#/properties/b']],
  },
  {
    rule: 'property added, covered by a partially open content model (patternProperties)',
    v1: patterned({ a: str }),
    v2: patterned({ a: str, x_name: str }),
    backward: 'ok',
    forward: 'ok',
  },
  {
    rule: 'property added, not covered by a partially open content model (patternProperties)',
    v1: patterned({ a: str }),
    v2: patterned({ a: str, x_count: int }),
    backward: [
      ['property-added-not-covered-by-partially-open-content-model', '#/properties/x_count'],
    ],
    forward: [
      ['property-removed-not-covered-by-partially-open-content-model', '#/properties/x_count'],
    ],
  },
  {
    rule: 'additionalProperties: false added (open → closed)',
    v1: open({ a: str }),
    v2: closed({ a: str }),
    backward: [['additional-properties-removed', '#/additionalProperties']],
    forward: 'ok',
  },
  {
    rule: 'additionalProperties narrowed to a schema (open → partially open)',
    v1: open({ a: str }),
    v2: partial({ a: str }),
    backward: [['additional-properties-narrowed', '#/additionalProperties']],
    forward: 'ok',
  },
  {
    rule: 'additionalProperties schema changed',
    v1: partial({ a: str }),
    v2: open({ a: str }, { additionalProperties: int }),
    backward: [['type-changed', '#/additionalProperties']],
    forward: [['type-changed', '#/additionalProperties']],
  },
  {
    rule: 'patternProperties added to an open content model',
    v1: open({ a: str }),
    v2: open({ a: str }, { patternProperties: { '^x_': str } }),
    backward: [['pattern-property-added', '#/patternProperties/^x_']],
    forward: 'ok',
  },
  {
    rule: 'unevaluatedProperties: false closes the model like additionalProperties',
    v1: open({ a: str }, { unevaluatedProperties: false }),
    v2: open({ a: str, b: int }, { unevaluatedProperties: false }),
    backward: 'ok',
    forward: [['property-removed-from-closed-content-model', '#/properties/b']],
  },
  // Types
  {
    rule: 'integer widened to number',
    v1: int,
    v2: { type: 'number' },
    backward: 'ok',
    forward: [['type-narrowed', '#']],
  },
  {
    rule: 'type changed',
    v1: str,
    v2: int,
    backward: [['type-changed', '#']],
    forward: [['type-changed', '#']],
  },
  {
    rule: 'type array widened (string → string | null)',
    v1: str,
    v2: { type: ['string', 'null'] },
    backward: 'ok',
    forward: [['type-narrowed', '#']],
  },
  {
    rule: 'any value (true) narrowed to a type',
    v1: true,
    v2: str,
    backward: [['type-narrowed', '#']],
    forward: 'ok',
  },
  // enum and const
  {
    rule: 'enum value added',
    v1: { type: 'string', enum: ['a', 'b'] },
    v2: { type: 'string', enum: ['a', 'b', 'c'] },
    backward: 'ok',
    forward: [['enum-value-removed', '#/enum']],
  },
  {
    rule: 'enum added',
    v1: str,
    v2: { type: 'string', enum: ['a'] },
    backward: [['enum-added', '#/enum']],
    forward: 'ok',
  },
  {
    rule: 'const changed',
    v1: { const: 'a' },
    v2: { const: 'b' },
    backward: [['const-changed', '#/const']],
    forward: [['const-changed', '#/const']],
  },
  {
    rule: 'const widened to an enum containing it',
    v1: { const: 'a' },
    v2: { enum: ['a', 'b'] },
    backward: 'ok',
    forward: [['const-changed', '#/const']],
  },
  // Numbers
  {
    rule: 'maximum decreased',
    v1: { type: 'number', maximum: 100 },
    v2: { type: 'number', maximum: 50 },
    backward: [['maximum-decreased', '#/maximum']],
    forward: 'ok',
  },
  {
    rule: 'maximum added',
    v1: { type: 'number' },
    v2: { type: 'number', maximum: 10 },
    backward: [['maximum-added', '#/maximum']],
    forward: 'ok',
  },
  {
    rule: 'minimum increased',
    v1: { type: 'number', minimum: 0 },
    v2: { type: 'number', minimum: 1 },
    backward: [['minimum-increased', '#/minimum']],
    forward: 'ok',
  },
  {
    rule: 'exclusiveMinimum added',
    v1: { type: 'number' },
    v2: { type: 'number', exclusiveMinimum: 0 },
    backward: [['exclusive-minimum-added', '#/exclusiveMinimum']],
    forward: 'ok',
  },
  {
    rule: 'maximum made exclusive',
    v1: { type: 'number', maximum: 10 },
    v2: { type: 'number', exclusiveMaximum: 10 },
    backward: [['exclusive-maximum-decreased', '#/exclusiveMaximum']],
    forward: 'ok',
  },
  {
    rule: 'integer maximum 9 respelled as exclusiveMaximum 10',
    v1: { type: 'integer', maximum: 9 },
    v2: { type: 'integer', exclusiveMaximum: 10 },
    backward: 'ok',
    forward: 'ok',
  },
  {
    rule: 'multipleOf made coarser',
    v1: { type: 'number', multipleOf: 2 },
    v2: { type: 'number', multipleOf: 4 },
    backward: [['multiple-of-changed', '#/multipleOf']],
    forward: 'ok',
  },
  {
    rule: 'multipleOf added',
    v1: { type: 'number' },
    v2: { type: 'number', multipleOf: 0.5 },
    backward: [['multiple-of-added', '#/multipleOf']],
    forward: 'ok',
  },
  // Strings
  {
    rule: 'maxLength decreased',
    v1: { type: 'string', maxLength: 50 },
    v2: { type: 'string', maxLength: 20 },
    backward: [['max-length-decreased', '#/maxLength']],
    forward: 'ok',
  },
  {
    rule: 'maxLength removed',
    v1: { type: 'string', maxLength: 5 },
    v2: str,
    backward: 'ok',
    forward: [['max-length-added', '#/maxLength']],
  },
  {
    rule: 'minLength increased',
    v1: { type: 'string', minLength: 1 },
    v2: { type: 'string', minLength: 3 },
    backward: [['min-length-increased', '#/minLength']],
    forward: 'ok',
  },
  {
    rule: 'pattern added',
    v1: str,
    v2: { type: 'string', pattern: '^[a-z]+$' },
    backward: [['pattern-added', '#/pattern']],
    forward: 'ok',
  },
  {
    rule: 'pattern changed',
    v1: { type: 'string', pattern: '^[a-z]+$' },
    v2: { type: 'string', pattern: '^[a-z0-9]+$' },
    backward: [['pattern-changed', '#/pattern']],
    forward: [['pattern-changed', '#/pattern']],
  },
  {
    rule: 'format added',
    v1: str,
    v2: { type: 'string', format: 'uuid' },
    backward: [['format-added', '#/format']],
    forward: 'ok',
  },
  // Arrays
  {
    rule: 'array items type changed',
    v1: { type: 'array', items: str },
    v2: { type: 'array', items: int },
    backward: [['type-changed', '#/items']],
    forward: [['type-changed', '#/items']],
  },
  {
    rule: 'array items widened',
    v1: { type: 'array', items: int },
    v2: { type: 'array', items: { type: 'number' } },
    backward: 'ok',
    forward: [['type-narrowed', '#/items']],
  },
  {
    rule: 'minItems increased',
    v1: { type: 'array', minItems: 1 },
    v2: { type: 'array', minItems: 2 },
    backward: [['min-items-increased', '#/minItems']],
    forward: 'ok',
  },
  {
    rule: 'maxItems added',
    v1: { type: 'array' },
    v2: { type: 'array', maxItems: 3 },
    backward: [['max-items-added', '#/maxItems']],
    forward: 'ok',
  },
  {
    rule: 'uniqueItems added',
    v1: { type: 'array', items: str },
    v2: { type: 'array', items: str, uniqueItems: true },
    backward: [['unique-items-added', '#/uniqueItems']],
    forward: 'ok',
  },
  {
    rule: 'tuple item added to a closed tuple (2020-12 prefixItems)',
    v1: { type: 'array', prefixItems: [str], items: false },
    v2: { type: 'array', prefixItems: [str, int], items: false },
    backward: 'ok',
    forward: [['item-removed-from-closed-content-model', '#/prefixItems/1']],
  },
  {
    rule: 'tuple item added to an open tuple (draft-07 items array)',
    v1: { type: 'array', items: [str] },
    v2: { type: 'array', items: [str, int] },
    backward: [['item-added-to-open-content-model', '#/items/1']],
    forward: 'ok',
  },
  {
    rule: 'additionalItems: false added to a tuple (draft-07)',
    v1: { type: 'array', items: [str] },
    v2: { type: 'array', items: [str], additionalItems: false },
    backward: [['additional-items-removed', '#/additionalItems']],
    forward: 'ok',
  },
  {
    rule: 'contains added',
    v1: { type: 'array' },
    v2: { type: 'array', contains: str },
    backward: [['contains-added', '#/contains']],
    forward: 'ok',
  },
  // required and default
  {
    rule: 'existing property made required',
    v1: open({ a: str, b: str }, { required: ['a'] }),
    v2: open({ a: str, b: str }, { required: ['a', 'b'] }),
    backward: [['required-added', '#/properties/b']],
    forward: 'ok',
  },
  {
    rule: 'existing property with a default made required',
    v1: open({ a: str, b: { type: 'string', default: 'x' } }),
    v2: open({ a: str, b: { type: 'string', default: 'x' } }, { required: ['b'] }),
    backward: 'ok',
    forward: 'ok',
  },
  {
    rule: 'required removed',
    v1: open({ a: str, b: str }, { required: ['a', 'b'] }),
    v2: open({ a: str, b: str }, { required: ['a'] }),
    backward: 'ok',
    forward: [['required-added', '#/properties/b']],
  },
  {
    rule: 'default changed',
    v1: open({ a: { type: 'string', default: 'x' } }),
    v2: open({ a: { type: 'string', default: 'y' } }),
    backward: 'ok',
    forward: 'ok',
  },
  // Object keywords beyond properties
  {
    rule: 'maxProperties decreased',
    v1: { type: 'object', maxProperties: 5 },
    v2: { type: 'object', maxProperties: 3 },
    backward: [['max-properties-decreased', '#/maxProperties']],
    forward: 'ok',
  },
  {
    rule: 'dependentRequired added (2020-12)',
    v1: open({ a: str, b: str }),
    v2: open({ a: str, b: str }, { dependentRequired: { a: ['b'] } }),
    backward: [['dependent-required-added', '#/dependentRequired/a']],
    forward: 'ok',
  },
  {
    rule: 'dependencies array added (draft-07)',
    v1: open({ a: str, b: str }),
    v2: open({ a: str, b: str }, { dependencies: { a: ['b'] } }),
    backward: [['dependent-required-added', '#/dependencies/a']],
    forward: 'ok',
  },
  {
    rule: 'propertyNames added',
    v1: { type: 'object' },
    v2: { type: 'object', propertyNames: { pattern: '^[a-z]+$' } },
    backward: [['property-names-added', '#/propertyNames']],
    forward: 'ok',
  },
  // Nesting
  {
    rule: 'property removed from a nested closed object',
    v1: open({ region: closed({ name: str, code: str }) }),
    v2: open({ region: closed({ code: str }) }),
    backward: [
      ['property-removed-from-closed-content-model', '#/properties/region/properties/name'],
    ],
    forward: 'ok',
  },
  {
    rule: 'nested type widened',
    v1: open({ region: closed({ name: int }) }),
    v2: open({ region: closed({ name: { type: 'number' } }) }),
    backward: 'ok',
    forward: [['type-narrowed', '#/properties/region/properties/name']],
  },
  {
    rule: 'objects nested in arrays',
    v1: open({ tags: { type: 'array', items: closed({ k: str }) } }),
    v2: open({ tags: { type: 'array', items: closed({ k: { type: 'string', maxLength: 5 } }) } }),
    backward: [['max-length-added', '#/properties/tags/items/properties/k/maxLength']],
    forward: 'ok',
  },
  // Combined schemas
  {
    rule: 'oneOf alternative added',
    v1: { oneOf: [str, int] },
    v2: { oneOf: [str, int, { type: 'boolean' }] },
    backward: 'ok',
    forward: [['sum-type-narrowed', '#/oneOf']],
  },
  {
    rule: 'anyOf alternative replaced',
    v1: { anyOf: [str, int] },
    v2: { anyOf: [str, { type: 'boolean' }] },
    backward: [
      ['combined-subschemas-changed', '#/anyOf'],
      ['type-changed', '#/anyOf/1'],
    ],
    forward: [
      ['combined-subschemas-changed', '#/anyOf'],
      ['type-changed', '#/anyOf/1'],
    ],
  },
  {
    rule: 'allOf sub-schema added',
    v1: { allOf: [str, { minLength: 1 }] },
    v2: { allOf: [str, { minLength: 1 }, { maxLength: 10 }] },
    backward: [['product-type-extended', '#/allOf']],
    forward: 'ok',
  },
  {
    rule: 'oneOf changed to anyOf',
    v1: { oneOf: [str, int] },
    v2: { anyOf: [str, int] },
    backward: 'ok',
    forward: [['combined-type-changed', '#/oneOf']],
  },
  {
    rule: 'type widened into a oneOf that contains it',
    v1: str,
    v2: { oneOf: [str, { type: 'null' }] },
    backward: 'ok',
    forward: [['type-changed', '#/oneOf/1']],
  },
  {
    rule: 'not added',
    v1: str,
    v2: { type: 'string', not: { const: '' } },
    backward: [['not-added', '#/not']],
    forward: 'ok',
  },
  {
    rule: 'if/then/else added',
    v1: open({ a: str, b: str }),
    v2: open({ a: str, b: str }, { if: { required: ['a'] }, then: { required: ['b'] } }),
    backward: [['conditional-changed', '#/if']],
    forward: 'ok',
  },
  // $ref to local definitions, both drafts
  {
    rule: '$ref into $defs (2020-12): change inside the definition',
    v1: region(str),
    v2: region({ type: 'string', maxLength: 10 }),
    backward: [['max-length-added', '#/properties/region/properties/name/maxLength']],
    forward: 'ok',
  },
  {
    rule: '$ref into definitions (draft-07): definition renamed, same content',
    v1: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { A: closed({ a: str }) },
      type: 'object',
      properties: { x: { $ref: '#/definitions/A' } },
    },
    v2: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { B: closed({ a: str }) },
      type: 'object',
      properties: { x: { $ref: '#/definitions/B' } },
    },
    backward: 'ok',
    forward: 'ok',
  },
  {
    rule: 'inline schema moved behind a $ref',
    v1: open({ x: closed({ a: str }) }),
    v2: { ...open({ x: { $ref: '#/$defs/X' } }), $defs: { X: closed({ a: str }) } },
    backward: 'ok',
    forward: 'ok',
  },
  {
    rule: 'recursive schema ($ref: "#") changed',
    v1: tree(str),
    v2: tree({ type: 'string', maxLength: 3 }),
    backward: [['max-length-added', '#/properties/value/maxLength']],
    forward: 'ok',
  },
];

const summary = (changes: readonly SchemaChange[]) => changes.map((c) => [c.change, c.path]);
const expected = (outcome: Outcome) => (outcome === 'ok' ? [] : outcome.map((pair) => [...pair]));

describe.each(rules)('$rule', ({ v1, v2, backward, forward }) => {
  it(`BACKWARD: the new schema reads data written with the old one`, () => {
    expect(summary(checkCompatibility('BACKWARD', v2, [v1]))).toEqual(expected(backward));
  });

  it(`FORWARD: the old schema reads data written with the new one`, () => {
    expect(summary(checkCompatibility('FORWARD', v2, [v1]))).toEqual(expected(forward));
  });

  it('FULL reports both directions', () => {
    expect(summary(checkCompatibility('FULL', v2, [v1]))).toEqual([
      ...expected(backward),
      ...expected(forward),
    ]);
  });

  it('readerCanRead gives the same verdicts', () => {
    expect(summary(readerCanRead(v2, v1))).toEqual(expected(backward));
    expect(summary(readerCanRead(v1, v2))).toEqual(expected(forward));
  });

  it('every message names its path and both schemas', () => {
    for (const change of checkCompatibility('FULL', v2, [v1])) {
      expect(change.message).toContain(change.path);
      expect(change.message).toContain('the new schema');
      expect(change.message).toContain('version 1');
    }
  });
});
