import { describe, expect, it } from 'vitest';
import { checkSchemaCompiles } from '../../src/registry/schema-check.js';
import { compileDataValidator, type JsonSchema } from '../../src/registry/schema-validator.js';

/** The message compileDataValidator throws for `schema`, or undefined when it compiles. */
function refusalHere(schema: JsonSchema): string | undefined {
  try {
    compileDataValidator(schema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('checkSchemaCompiles (the registration check, on a worker thread)', () => {
  const schemas: [string, unknown][] = [
    ['an object schema', { type: 'object', properties: { name: { type: 'string' } } }],
    ['a draft-07 schema', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'string' }],
    ['true', true],
    ['an unknown type', { type: 'objekt' }],
    ['a lookahead pattern', { type: 'string', pattern: '^(?=a)' }],
    ['a reference to nothing', { $ref: '#/$defs/missing' }],
    ['an array', []],
  ];

  it.each(schemas)('answers as compiling here does: %s', async (_name, schema) => {
    const expected = refusalHere(schema as JsonSchema);
    const outcome = await checkSchemaCompiles(schema as JsonSchema).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(outcome).toBe(expected);
  });

  it('answers checks made at once, each with its own outcome', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        checkSchemaCompiles(i % 2 ? { type: 'string' } : { type: `bad-${i}` }).then(
          () => 'ok',
          () => 'refused',
        ),
      ),
    );
    expect(outcomes).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? 'ok' : 'refused')));
  });
});
