import { describe, expect, it } from 'vitest';
import { readerCanRead } from '../../src/registry/compatibility.js';
import type { JsonSchema } from '../../src/registry/schema-validator.js';

const summary = (changes: readonly { change: string; path: string }[]) =>
  changes.map((c) => [c.change, c.path]);

describe('references, composition and paths', () => {
  it('follows mutually recursive definitions and reports the path through them', () => {
    const schema = (leaf: object) => ({
      $defs: {
        folder: {
          type: 'object',
          properties: { files: { type: 'array', items: { $ref: '#/$defs/file' } } },
        },
        file: { type: 'object', properties: { name: leaf, parent: { $ref: '#/$defs/folder' } } },
      },
      $ref: '#/$defs/folder',
    });
    const writer = schema({ type: 'string' });
    const reader = schema({ type: 'string', minLength: 1 });
    expect(summary(readerCanRead(reader, writer))).toEqual([
      ['min-length-added', '#/properties/files/items/properties/name/minLength'],
    ]);
    expect(readerCanRead(writer, reader)).toEqual([]);
  });

  it('resolves $anchor references', () => {
    const writer = {
      $defs: { id: { $anchor: 'id', type: 'string' } },
      properties: { id: { $ref: '#id' } },
    };
    const reader = {
      $defs: { id: { $anchor: 'id', type: 'integer' } },
      properties: { id: { $ref: '#id' } },
    };
    expect(summary(readerCanRead(reader, writer))).toEqual([['type-changed', '#/properties/id']]);
  });

  it('applies keywords beside $ref, as our validator does', () => {
    const defs = { $defs: { name: { type: 'string' } } };
    const writer = { ...defs, properties: { n: { $ref: '#/$defs/name' } } };
    const reader = { ...defs, properties: { n: { $ref: '#/$defs/name', maxLength: 8 } } };
    expect(summary(readerCanRead(reader, writer))).toEqual([
      ['max-length-added', '#/properties/n/maxLength'],
    ]);
    expect(readerCanRead(writer, reader)).toEqual([]);
  });

  it('escapes property names in paths as JSON pointers', () => {
    const writer = {
      type: 'object',
      properties: { 'a/b~c': { type: 'string' } },
      additionalProperties: false,
    };
    const reader = { type: 'object', properties: {}, additionalProperties: false };
    expect(summary(readerCanRead(reader, writer))).toEqual([
      ['property-removed-from-closed-content-model', '#/properties/a~1b~0c'],
    ]);
  });

  it('treats a type list and a oneOf of the same types as equivalent', () => {
    const list = { type: ['string', 'null'] };
    const union = { oneOf: [{ type: 'string' }, { type: 'null' }] };
    expect(readerCanRead(union, list)).toEqual([]);
    expect(readerCanRead(list, union)).toEqual([]);
  });

  it('pairs oneOf alternatives regardless of their order', () => {
    const a = { type: 'object', properties: { kind: { const: 'a' } }, required: ['kind'] };
    const b = { type: 'object', properties: { kind: { const: 'b' } }, required: ['kind'] };
    expect(readerCanRead({ oneOf: [b, a] }, { oneOf: [a, b] })).toEqual([]);
  });

  it('reports a changed alternative with its path inside the oneOf', () => {
    const alt = (max: number) => ({
      type: 'object',
      properties: { n: { type: 'integer', maximum: max } },
    });
    const writer = { oneOf: [{ type: 'string' }, alt(10)] };
    const reader = { oneOf: [{ type: 'string' }, alt(5)] };
    expect(summary(readerCanRead(reader, writer))).toEqual([
      ['combined-subschemas-changed', '#/oneOf'],
      ['maximum-decreased', '#/oneOf/1/properties/n/maximum'],
    ]);
  });

  it('keeps an object base beside a oneOf in the comparison', () => {
    const writer = {
      type: 'object',
      properties: { id: { type: 'string' } },
      oneOf: [{ required: ['a'] }, { required: ['b'] }],
    };
    const reader = { ...writer, properties: { id: { type: 'string', format: 'uuid' } } };
    expect(summary(readerCanRead(reader, writer))).toEqual([
      ['format-added', '#/properties/id/format'],
    ]);
    expect(readerCanRead(writer, reader)).toEqual([]);
  });

  it('accepts draft-04 boolean exclusiveMaximum', () => {
    const writer = { type: 'number', maximum: 10 };
    const reader = { type: 'number', maximum: 10, exclusiveMaximum: true };
    expect(summary(readerCanRead(reader, writer))).toEqual([['maximum-decreased', '#/maximum']]);
  });
});

describe('keywords beside $ref on both sides', () => {
  it('reports the changed sibling at the property path', () => {
    const schema = (maxLength: number) => ({
      $defs: { name: { type: 'string' } },
      properties: { n: { $ref: '#/$defs/name', maxLength } },
    });
    expect(summary(readerCanRead(schema(4), schema(8)))).toEqual([
      ['max-length-decreased', '#/properties/n/maxLength'],
    ]);
    expect(readerCanRead(schema(8), schema(4))).toEqual([]);
  });
});

describe('hostile input', () => {
  it('treats property names such as "constructor" and "__proto__" as plain names', () => {
    const writer = JSON.parse(
      '{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}',
    );
    const reader = JSON.parse(
      '{"type":"object","properties":{"a":{"type":"string"},"constructor":{"type":"string"},"__proto__":{"type":"string"}},"required":["constructor"],"additionalProperties":false}',
    );
    expect(summary(readerCanRead(reader, writer))).toEqual([
      ['required-property-added-to-unopen-content-model', '#/properties/constructor'],
    ]);
    expect(summary(readerCanRead(writer, reader))).toEqual([
      ['property-removed-from-closed-content-model', '#/properties/constructor'],
      ['property-removed-from-closed-content-model', '#/properties/__proto__'],
    ]);
  });

  it('answers "too complex" instead of exhausting the stack on absurdly deep schemas', () => {
    const nest = (depth: number, leaf: JsonSchema): JsonSchema =>
      depth === 0 ? leaf : { type: 'object', properties: { x: nest(depth - 1, leaf) } };
    const changes = readerCanRead(nest(3000, { type: 'integer' }), nest(3000, { type: 'string' }));
    expect(summary(changes)).toEqual([['comparison-too-complex', '#']]);
  });
});
