import { checkCompatibility } from '../../src/registry/compatibility.js';
import { buildSchema, graphql, validateSchema } from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isEventType } from '../../src/registry/event-type-name.js';
import {
  buildEventTypeModel,
  findModelNameClash,
  inputToData,
  printModelSdl,
  type EventTypeGraphqlModel,
  type GqlTypeRef,
} from '../../src/registry/graphql-model.js';

const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020') as typeof import('ajv/dist/2020.js')).default;
const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;

const dir = new URL('../../schema/platform/', import.meta.url);
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .sort();
const platform = files.map((file) => {
  const type = file.slice(0, -'.json'.length);
  const schema = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, unknown>;
  return { type, schema, model: buildEventTypeModel(type, schema) };
});
const models = platform.map((entry) => entry.model);

// Strict, as a careful registry would be: unknown keywords, loose types or tuples fail here.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);

const scalars = 'scalar JSON\nscalar DateTime\n';

/** The GraphQL input value a client would send for `value`: GraphQL field and enum names. */
function dataToInput(model: EventTypeGraphqlModel, type: GqlTypeRef, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (type.kind) {
    case 'scalar':
      return value;
    case 'enum':
      return model.enums.find((e) => e.name === type.name)?.values.find((v) => v.value === value)
        ?.name;
    case 'list':
      return (value as unknown[]).map((item) => dataToInput(model, type.of, item));
    case 'object': {
      const object = model.objects.find((o) => o.name === type.name)!;
      const record = value as Record<string, unknown>;
      const input: Record<string, unknown> = {};
      for (const field of object.fields) {
        if (field.jsonName in record)
          input[field.name] = dataToInput(model, field.type, record[field.jsonName]);
      }
      return input;
    }
  }
}

/** Paths of object schemas with properties that still admit properties they do not name. */
function openObjects(schema: unknown, path = '#'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const here = 'properties' in node && node['additionalProperties'] !== false ? [path] : [];
  return here.concat(
    ...Object.entries(node)
      .filter(([key]) => key !== 'examples')
      .map(([key, value]) => openObjects(value, `${path}/${key}`)),
  );
}

describe('schema/platform', () => {
  it('holds a realistic set of event types', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    const types = platform.map((entry) => entry.type);
    for (const type of [
      'app.created',
      'release.created',
      'build.failed',
      'dyno.crashed',
      'addon.attachment.created',
    ]) {
      expect(types).toContain(type);
    }
  });

  it('puts all their GraphQL types into one valid schema, without clashes', () => {
    for (const model of models)
      expect(findModelNameClash(model, models), model.type).toBeUndefined();
    const schema = buildSchema(
      `${scalars}type Query { ping: Int }\n${models.map(printModelSdl).join('\n')}`,
    );
    expect(validateSchema(schema)).toEqual([]);
  });

  describe.each(platform)('$type', ({ type, schema, model }) => {
    it('is a described draft 2020-12 schema of a valid event type, closed so that it can grow', () => {
      expect(isEventType(type)).toBe(true);
      expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema['title']).toEqual(expect.stringMatching(/\S/));
      expect(schema['description']).toEqual(expect.stringMatching(/\S/));
      // Under BACKWARD compatibility (Confluent's content-model rules) a new version may add an
      // optional field only where the old version was closed: an open object lets old data carry
      // that field with any value.
      expect(openObjects(schema)).toEqual([]);
      const grown = structuredClone(schema) as { properties: Record<string, unknown> };
      grown.properties['added_later'] = { type: 'string' };
      expect(checkCompatibility('BACKWARD', grown, [schema])).toEqual([]);
    });

    it('compiles, and its examples are valid', () => {
      const validate = ajv.compile(schema);
      const examples = schema['examples'] as unknown[];
      expect(examples.length).toBeGreaterThanOrEqual(1);
      for (const example of examples) {
        validate(example);
        expect(validate.errors ?? []).toEqual([]);
      }
    });

    it('has typed data, and a typed publish of its example gives the example back', async () => {
      expect(model.data).toEqual({ kind: 'object', name: model.dataTypeName });
      expect(model.dataNonNull).toBe(true);
      const schemaSdl = `${scalars}type Query { ping: Int }\ntype Mutation { publish(data: ${model.dataTypeName}Input!): JSON }\n${printModelSdl(model)}`;
      const example = (schema['examples'] as unknown[])[0];
      const result = await graphql({
        schema: buildSchema(schemaSdl),
        source: `mutation ($data: ${model.dataTypeName}Input!) { publish(data: $data) }`,
        variableValues: { data: dataToInput(model, model.data, example) },
        rootValue: { publish: ({ data }: { data: unknown }) => inputToData(model, data) },
      });
      expect(result.errors).toBeUndefined();
      expect(result.data?.['publish']).toEqual(example);
    });
  });
});
