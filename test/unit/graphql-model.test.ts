import { buildSchema, validateSchema } from 'graphql';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  buildEventTypeModel,
  findModelNameClash,
  inputToData,
  printModelSdl,
  type EventTypeGraphqlModel,
  type GqlField,
  type GqlTypeRef,
  type JsonSchema,
} from '../../src/registry/graphql-model.js';

const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020') as typeof import('ajv/dist/2020.js')).default;
const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;

const JSON_TYPE: GqlTypeRef = { kind: 'scalar', name: 'JSON' };
const scalar = (name: 'String' | 'Int' | 'Float' | 'Boolean' | 'DateTime'): GqlTypeRef => ({
  kind: 'scalar',
  name,
});

/** The model of `app.created` with `properties` as its data, after graphql-js accepted it. */
function modelOf(
  properties: Record<string, JsonSchema>,
  extra: Record<string, unknown> = {},
): EventTypeGraphqlModel {
  return checked(buildEventTypeModel('app.created', { type: 'object', properties, ...extra }));
}

/** graphql-js builds and validates the model's types: valid, unique names and sound input types. */
function checked(model: EventTypeGraphqlModel): EventTypeGraphqlModel {
  const schema = buildSchema(
    `scalar JSON\nscalar DateTime\ntype Query { ping: Int }\n${printModelSdl(model)}`,
  );
  expect(validateSchema(schema)).toEqual([]);
  return model;
}

function fieldOf(model: EventTypeGraphqlModel, objectName: string, jsonName: string): GqlField {
  const field = model.objects
    .find((o) => o.name === objectName)
    ?.fields.find((f) => f.jsonName === jsonName);
  if (!field) throw new Error(`no field ${objectName}.${jsonName}`);
  return field;
}

const dataField = (model: EventTypeGraphqlModel, jsonName: string): GqlField =>
  fieldOf(model, 'AppCreatedData', jsonName);

describe('buildEventTypeModel: objects', () => {
  it('names the event type and its data, publish input and publish field', () => {
    const model = modelOf({ name: { type: 'string' } });
    expect(model).toMatchObject({
      type: 'app.created',
      typeName: 'AppCreated',
      dataTypeName: 'AppCreatedData',
      publishInputName: 'AppCreatedPublish',
      publishFieldName: 'appCreated',
      data: { kind: 'object', name: 'AppCreatedData' },
      dataNonNull: true,
    });
  });

  it('makes required non-null fields non-null, and optional or nullable ones nullable', () => {
    const model = modelOf(
      {
        id: { type: 'string' },
        note: { type: 'string' },
        deletedAt: { type: ['string', 'null'], format: 'date-time' },
        anything: {},
      },
      { required: ['id', 'deletedAt', 'anything'] },
    );
    expect(dataField(model, 'id')).toMatchObject({ type: scalar('String'), nonNull: true });
    expect(dataField(model, 'note')).toMatchObject({ type: scalar('String'), nonNull: false });
    expect(dataField(model, 'deletedAt')).toMatchObject({
      type: scalar('DateTime'),
      nonNull: false,
    });
    // Required but unconstrained: the value may be null, so the field must allow it.
    expect(dataField(model, 'anything')).toMatchObject({ type: JSON_TYPE, nonNull: false });
    expect(printModelSdl(model)).toContain(
      'input AppCreatedDataInput {\n  id: String!\n  note: String',
    );
  });

  it('names nested objects after their path, data type first in the list', () => {
    const model = modelOf({
      region: {
        type: 'object',
        description: 'Where it runs.',
        properties: {
          name: { type: 'string' },
          location: { type: 'object', properties: { lat: { type: 'number' } } },
        },
      },
    });
    expect(model.objects.map((o) => o.name)).toEqual([
      'AppCreatedData',
      'AppCreatedDataRegion',
      'AppCreatedDataRegionLocation',
    ]);
    expect(dataField(model, 'region')).toMatchObject({
      type: { kind: 'object', name: 'AppCreatedDataRegion' },
      description: 'Where it runs.',
    });
    expect(model.objects[1]?.description).toBe('Where it runs.');
  });

  it('keeps the data description and property descriptions', () => {
    const model = checked(
      buildEventTypeModel('app.created', {
        description: 'An app was created.',
        type: 'object',
        properties: { name: { type: 'string', description: 'The """unique""" name.' } },
      }),
    );
    expect(model.objects[0]?.description).toBe('An app was created.');
    expect(dataField(model, 'name').description).toBe('The """unique""" name.');
  });

  it('makes open maps and objects without properties JSON', () => {
    const model = modelOf({
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      headers: { type: 'object', patternProperties: { '^x-': { type: 'string' } } },
      empty: { type: 'object' },
      nothingAllowed: { type: 'object', properties: { a: false } },
    });
    for (const name of ['labels', 'headers', 'empty', 'nothingAllowed'])
      expect(dataField(model, name).type).toEqual(JSON_TYPE);
    expect(model.objects).toHaveLength(1);
  });

  it('types the properties of an object that also allows more (additionalProperties)', () => {
    const model = modelOf({
      region: {
        type: 'object',
        properties: { name: { type: 'string' } },
        additionalProperties: true,
      },
    });
    expect(dataField(model, 'region').type).toEqual({
      kind: 'object',
      name: 'AppCreatedDataRegion',
    });
  });

  it('leaves out properties whose schema is false', () => {
    const model = modelOf({ name: { type: 'string' }, secret: false });
    expect(model.objects[0]?.fields.map((f) => f.jsonName)).toEqual(['name']);
  });

  it('sanitizes property names GraphQL cannot take, keeping the JSON name, without duplicates', () => {
    const model = modelOf({
      'created-at': { type: 'string' },
      created_at: { type: 'string' },
      '2fa': { type: 'boolean' },
      '@type': { type: 'string' },
      __proto_like: { type: 'string' },
      'x.y': { type: 'string' },
      'x y': { type: 'string' },
      '': { type: 'string' },
    });
    const names = Object.fromEntries(model.objects[0]!.fields.map((f) => [f.jsonName, f.name]));
    expect(names).toEqual({
      // The valid name keeps its own spelling; the sanitized one yields.
      created_at: 'created_at',
      'created-at': 'created_at_2',
      '2fa': '_2fa',
      '@type': '_type',
      __proto_like: '_proto_like',
      'x.y': 'x_y',
      'x y': 'x_y_2',
      '': 'field',
    });
  });

  it('gives a nested object a name no other type has, its input twin included', () => {
    const model = modelOf({ input: { type: 'object', properties: { a: { type: 'string' } } } });
    // `AppCreatedDataInput` is the data's input type, so the `input` object needs another name.
    expect(dataField(model, 'input').type).toEqual({
      kind: 'object',
      name: 'AppCreatedDataInput2',
    });
  });
});

describe('buildEventTypeModel: scalars', () => {
  it('maps string, date-time, number and boolean', () => {
    const model = modelOf({
      s: { type: 'string', format: 'email' },
      t: { type: 'string', format: 'date-time' },
      n: { type: 'number' },
      both: { type: ['integer', 'number'] },
      b: { type: 'boolean' },
    });
    expect(model.objects[0]?.fields.map((f) => f.type)).toEqual([
      scalar('String'),
      scalar('DateTime'),
      scalar('Float'),
      scalar('Float'),
      scalar('Boolean'),
    ]);
  });

  it('maps integers to Int unless their bounds leave 32 bits, then Float', () => {
    const model = modelOf({
      plain: { type: 'integer' },
      inRange: { type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
      exclusiveInRange: {
        type: 'integer',
        exclusiveMaximum: 2 ** 31,
        exclusiveMinimum: -(2 ** 31) - 1,
      },
      bytes: { type: 'integer', minimum: 0, maximum: 2 ** 40 },
      justOver: { type: 'integer', maximum: 2 ** 31 },
      below: { type: 'integer', minimum: -(2 ** 31) - 1 },
      exclusiveOver: { type: 'integer', exclusiveMaximum: 2 ** 31 + 1 },
    });
    const types = Object.fromEntries(model.objects[0]!.fields.map((f) => [f.jsonName, f.type]));
    expect(types).toEqual({
      plain: scalar('Int'),
      inRange: scalar('Int'),
      exclusiveInRange: scalar('Int'),
      bytes: scalar('Float'),
      justOver: scalar('Float'),
      below: scalar('Float'),
      exclusiveOver: scalar('Float'),
    });
  });

  it('types a const by its value', () => {
    const model = modelOf({
      s: { const: 'succeeded' },
      i: { const: 3 },
      big: { const: 2 ** 40 },
      f: { const: 1.5 },
      b: { const: true },
      o: { const: { a: 1 } },
      z: { const: null },
    });
    expect(model.objects[0]?.fields.map((f) => f.type)).toEqual([
      scalar('String'),
      scalar('Int'),
      scalar('Float'),
      scalar('Float'),
      scalar('Boolean'),
      JSON_TYPE,
      JSON_TYPE,
    ]);
  });

  it('makes mixed and unknown types JSON', () => {
    const model = modelOf({
      mixed: { type: ['string', 'integer'] },
      onlyNull: { type: 'null' },
      untyped: { format: 'date-time' },
      unknown: { type: 'decimal' },
    });
    for (const field of model.objects[0]!.fields) expect(field.type).toEqual(JSON_TYPE);
  });
});

describe('buildEventTypeModel: enums', () => {
  it('makes a string enum of valid names an enum type with the same names', () => {
    const model = modelOf(
      {
        status: {
          type: 'string',
          enum: ['pending', 'succeeded', 'failed'],
          description: 'Build status.',
        },
      },
      { required: ['status'] },
    );
    expect(dataField(model, 'status')).toMatchObject({
      type: { kind: 'enum', name: 'AppCreatedDataStatus' },
      nonNull: true,
    });
    expect(model.enums).toEqual([
      {
        name: 'AppCreatedDataStatus',
        description: 'Build status.',
        values: [
          { name: 'pending', value: 'pending' },
          { name: 'succeeded', value: 'succeeded' },
          { name: 'failed', value: 'failed' },
        ],
      },
    ]);
  });

  it('makes unique valid names of other strings and keeps which value each stands for', () => {
    const model = modelOf({
      size: { enum: ['Standard-1X', 'us-east-1', 'us_east_1', '2x', 'true', 'null', 'ok'] },
    });
    expect(model.enums[0]?.values).toEqual([
      { name: 'Standard_1X', value: 'Standard-1X' },
      { name: 'us_east_1_2', value: 'us-east-1' },
      { name: 'us_east_1', value: 'us_east_1' },
      { name: '_2x', value: '2x' },
      { name: 'true_', value: 'true' },
      { name: 'null_', value: 'null' },
      { name: 'ok', value: 'ok' },
    ]);
  });

  it('falls back to String when a value has nothing to make a name of', () => {
    const model = modelOf({ mark: { type: 'string', enum: ['a', ''] } });
    expect(dataField(model, 'mark').type).toEqual(scalar('String'));
    expect(model.enums).toEqual([]);
  });

  it('makes an enum with null a nullable enum, even when required', () => {
    const model = modelOf(
      { role: { type: ['string', 'null'], enum: ['owner', 'member', null] } },
      { required: ['role'] },
    );
    expect(dataField(model, 'role')).toMatchObject({ type: { kind: 'enum' }, nonNull: false });
    expect(model.enums[0]?.values.map((v) => v.value)).toEqual(['owner', 'member']);
  });

  it('types number, boolean and mixed enums by their values', () => {
    const model = modelOf({
      ints: { enum: [1, 2, 3] },
      floats: { enum: [0.5, 1] },
      flags: { enum: [true, false] },
      mixed: { enum: ['a', 1] },
    });
    expect(model.objects[0]?.fields.map((f) => f.type)).toEqual([
      scalar('Int'),
      scalar('Float'),
      scalar('Boolean'),
      JSON_TYPE,
    ]);
  });
});

describe('buildEventTypeModel: arrays', () => {
  it('makes arrays with one item schema lists, items non-null unless null is allowed', () => {
    const model = modelOf({
      tags: { type: 'array', items: { type: 'string' } },
      maybe: { type: 'array', items: { type: ['integer', 'null'] } },
      processes: {
        type: 'array',
        items: { type: 'object', properties: { type: { type: 'string' } } },
      },
      matrix: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
    });
    expect(dataField(model, 'tags').type).toEqual({
      kind: 'list',
      of: scalar('String'),
      nonNullItems: true,
    });
    expect(dataField(model, 'maybe').type).toEqual({
      kind: 'list',
      of: scalar('Int'),
      nonNullItems: false,
    });
    expect(dataField(model, 'processes').type).toEqual({
      kind: 'list',
      of: { kind: 'object', name: 'AppCreatedDataProcessesItem' },
      nonNullItems: true,
    });
    expect(dataField(model, 'matrix').type).toEqual({
      kind: 'list',
      of: { kind: 'list', of: scalar('Float'), nonNullItems: true },
      nonNullItems: true,
    });
  });

  it('makes tuples and arrays without an item schema JSON', () => {
    const model = modelOf({
      tuple: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] },
      draft7Tuple: { type: 'array', items: [{ type: 'string' }] },
      noItems: { type: 'array' },
      anyItems: { type: 'array', items: true },
    });
    for (const field of model.objects[0]!.fields) expect(field.type).toEqual(JSON_TYPE);
  });
});

describe('buildEventTypeModel: combinators', () => {
  it('makes oneOf and anyOf of different shapes JSON', () => {
    const model = modelOf({
      either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      any: {
        anyOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'string' }],
      },
      both: { anyOf: [{ type: 'string' }], oneOf: [{ type: 'string' }] },
    });
    for (const field of model.objects[0]!.fields) expect(field.type).toEqual(JSON_TYPE);
  });

  it('reads "X or null" (anyOf/oneOf with a null branch) as a nullable X', () => {
    const model = modelOf(
      {
        team: {
          anyOf: [{ type: 'object', properties: { name: { type: 'string' } } }, { type: 'null' }],
        },
        count: { oneOf: [{ const: null }, { type: 'integer' }] },
      },
      { required: ['team', 'count'] },
    );
    expect(dataField(model, 'team')).toMatchObject({
      type: { kind: 'object', name: 'AppCreatedDataTeam' },
      nonNull: false,
    });
    expect(dataField(model, 'count')).toMatchObject({ type: scalar('Int'), nonNull: false });
  });

  it('keeps an object typed when its oneOf only says which fields are required', () => {
    const model = modelOf({
      target: {
        type: 'object',
        properties: { url: { type: 'string' }, appId: { type: 'string' } },
        oneOf: [{ required: ['url'] }, { required: ['appId'] }],
      },
    });
    expect(dataField(model, 'target').type).toEqual({
      kind: 'object',
      name: 'AppCreatedDataTarget',
    });
    expect(fieldOf(model, 'AppCreatedDataTarget', 'url').nonNull).toBe(false);
  });

  it('merges an allOf of objects, with every branch’s required fields', () => {
    const model = checked(
      buildEventTypeModel('app.created', {
        $defs: {
          base: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        },
        allOf: [
          { $ref: '#/$defs/base' },
          {
            type: 'object',
            properties: { name: { type: 'string' }, id: { type: 'string' } },
            required: ['name'],
          },
        ],
      }),
    );
    expect(model.data).toEqual({ kind: 'object', name: 'AppCreatedData' });
    expect(model.objects[0]?.fields).toEqual([
      { name: 'id', jsonName: 'id', type: scalar('String'), nonNull: true },
      { name: 'name', jsonName: 'name', type: scalar('String'), nonNull: true },
    ]);
  });

  it('reads allOf of one reference with a description as that reference', () => {
    const model = checked(
      buildEventTypeModel('app.created', {
        type: 'object',
        $defs: { region: { type: 'object', properties: { name: { type: 'string' } } } },
        properties: {
          region: { allOf: [{ $ref: '#/$defs/region' }], description: 'Where it runs.' },
          backup: { $ref: '#/$defs/region' },
        },
      }),
    );
    expect(dataField(model, 'region')).toMatchObject({
      type: { kind: 'object', name: 'AppCreatedDataRegion' },
      description: 'Where it runs.',
    });
    expect(dataField(model, 'backup').type).toEqual({
      kind: 'object',
      name: 'AppCreatedDataRegion',
    });
  });

  it('adds the constraints of allOf to a scalar, and makes allOf of different shapes JSON', () => {
    const model = modelOf({
      at: { allOf: [{ type: 'string', format: 'date-time' }, { maxLength: 40 }] },
      clash: { allOf: [{ type: 'string' }, { type: 'integer' }] },
      objectAndArray: {
        allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'array' }],
      },
    });
    expect(dataField(model, 'at').type).toEqual(scalar('DateTime'));
    expect(dataField(model, 'clash').type).toEqual(JSON_TYPE);
    expect(dataField(model, 'objectAndArray').type).toEqual(JSON_TYPE);
  });

  it('merges $ref with sibling keywords as draft 2020-12 reads them', () => {
    const model = checked(
      buildEventTypeModel('app.created', {
        type: 'object',
        $defs: {
          named: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        },
        properties: {
          owner: { $ref: '#/$defs/named', properties: { email: { type: 'string' } } },
        },
      }),
    );
    const owner = dataField(model, 'owner').type;
    expect(owner.kind).toBe('object');
    const ownerModel = model.objects.find((o) => o.name === (owner as { name: string }).name);
    expect(ownerModel?.fields.map((f) => [f.jsonName, f.nonNull])).toEqual([
      ['email', false],
      ['name', true],
    ]);
  });
});

describe('buildEventTypeModel: references', () => {
  it('resolves $defs and definitions, one type per shared definition', () => {
    const model = checked(
      buildEventTypeModel('app.created', {
        type: 'object',
        $defs: {
          stack: {
            type: 'object',
            properties: { name: { type: 'string', enum: ['heroku-24', 'container'] } },
          },
        },
        definitions: { user: { type: 'object', properties: { email: { type: 'string' } } } },
        properties: {
          stack: { $ref: '#/$defs/stack', description: 'The stack now.' },
          buildStack: { $ref: '#/$defs/stack' },
          owner: { $ref: '#/definitions/user' },
        },
      }),
    );
    expect(model.objects.map((o) => o.name)).toEqual([
      'AppCreatedData',
      'AppCreatedDataStack',
      'AppCreatedDataUser',
    ]);
    expect(dataField(model, 'stack')).toMatchObject({
      type: { name: 'AppCreatedDataStack' },
      description: 'The stack now.',
    });
    expect(dataField(model, 'buildStack').type).toEqual({
      kind: 'object',
      name: 'AppCreatedDataStack',
    });
    expect(model.enums.map((e) => e.name)).toEqual(['AppCreatedDataStackName']);
  });

  it('makes a reference cycle JSON where it closes', () => {
    const model = checked(
      buildEventTypeModel('app.created', {
        type: 'object',
        $defs: {
          node: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              children: { type: 'array', items: { $ref: '#/$defs/node' } },
            },
          },
        },
        properties: { tree: { $ref: '#/$defs/node' }, parent: { $ref: '#' } },
      }),
    );
    // The items are still objects, never null: only their type is lost to the cycle.
    expect(fieldOf(model, 'AppCreatedDataNode', 'children').type).toEqual({
      kind: 'list',
      of: JSON_TYPE,
      nonNullItems: true,
    });
    expect(dataField(model, 'parent').type).toEqual(JSON_TYPE);
  });

  it('ends allOf cycles too', () => {
    const model = checked(
      buildEventTypeModel('app.created', {
        $defs: { a: { allOf: [{ $ref: '#/$defs/b' }] }, b: { allOf: [{ $ref: '#/$defs/a' }] } },
        type: 'object',
        properties: {
          loop: { $ref: '#/$defs/a' },
          self: { allOf: [{ $ref: '#' }, { type: 'object' }] },
        },
      }),
    );
    expect(dataField(model, 'loop').type).toEqual(JSON_TYPE);
    expect(dataField(model, 'self').type).toEqual(JSON_TYPE);
  });

  it('makes remote and dangling references JSON', () => {
    const model = modelOf({
      remote: { $ref: 'https://example.com/schemas/user.json' },
      dangling: { $ref: '#/$defs/missing' },
      anchor: { $ref: '#user' },
    });
    for (const field of model.objects[0]!.fields) expect(field.type).toEqual(JSON_TYPE);
  });

  it('names the data type after the event type when the root is a reference', () => {
    const model = checked(
      buildEventTypeModel('app.created', {
        $ref: '#/$defs/app',
        $defs: { app: { type: 'object', properties: { name: { type: 'string' } } } },
      }),
    );
    expect(model.data).toEqual({ kind: 'object', name: 'AppCreatedData' });
    expect(model.dataNonNull).toBe(true);
  });
});

describe('buildEventTypeModel: the root', () => {
  it('is JSON when it is not an object GraphQL can express', () => {
    for (const schema of [
      { type: 'string', enum: ['a', 'b'] },
      { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
      { type: 'object', additionalProperties: { type: 'integer' } },
    ]) {
      const model = buildEventTypeModel('app.created', schema);
      expect(model).toMatchObject({ data: JSON_TYPE, objects: [], enums: [], dataNonNull: true });
    }
  });

  it('tells when the data may be null', () => {
    expect(buildEventTypeModel('app.created', true)).toMatchObject({
      data: JSON_TYPE,
      dataNonNull: false,
    });
    expect(buildEventTypeModel('app.created', {})).toMatchObject({
      data: JSON_TYPE,
      dataNonNull: false,
    });
    const nullable = buildEventTypeModel('app.created', {
      type: ['object', 'null'],
      properties: { a: { type: 'string' } },
    });
    expect(nullable).toMatchObject({
      data: { kind: 'object', name: 'AppCreatedData' },
      dataNonNull: false,
    });
  });

  it('is stable: the same schema gives the same model', () => {
    const schema = (): JsonSchema => ({
      type: 'object',
      $defs: { r: { type: 'object', properties: { n: { enum: ['x-1', 'x_1'] } } } },
      properties: {
        'a-b': { $ref: '#/$defs/r' },
        a_b: { type: 'array', items: { $ref: '#/$defs/r' } },
        c: { type: 'object', properties: { d: { type: 'integer' } } },
      },
    });
    expect(buildEventTypeModel('app.created', schema())).toEqual(
      buildEventTypeModel('app.created', schema()),
    );
  });
});

describe('inputToData', () => {
  const schema: JsonSchema = {
    type: 'object',
    required: ['app-id', 'size', 'at'],
    properties: {
      'app-id': { type: 'string' },
      size: { type: 'string', enum: ['Standard-1X', 'Eco'] },
      at: { type: 'string', format: 'date-time' },
      note: { type: ['string', 'null'] },
      processes: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            'process-type': { type: 'string' },
            size: { enum: ['Standard-2X', 'Eco'] },
          },
        },
      },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    },
  };
  const model = checked(buildEventTypeModel('dyno.started', schema));
  const ajv = new Ajv2020({ strict: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('gives back JSON names and enum values, so the data validates against the schema', () => {
    const data = inputToData(model, {
      app_id: 'a1',
      size: 'Standard_1X',
      at: new Date('2025-03-14T09:26:53.000Z'),
      note: null,
      processes: [{ process_type: 'web', size: 'Standard_2X' }, { process_type: 'worker' }],
      labels: { 'team-name': 'checkout' },
    });
    expect(data).toEqual({
      'app-id': 'a1',
      size: 'Standard-1X',
      at: '2025-03-14T09:26:53.000Z',
      note: null,
      processes: [{ 'process-type': 'web', size: 'Standard-2X' }, { 'process-type': 'worker' }],
      labels: { 'team-name': 'checkout' },
    });
    expect(validate(data)).toBe(true);
  });

  it('accepts enum values the GraphQL layer mapped already, and leaves unknown keys to validation', () => {
    expect(
      inputToData(model, { app_id: 'a1', size: 'Eco', at: '2025-03-14T09:26:53Z', extra: 1 }),
    ).toEqual({
      'app-id': 'a1',
      size: 'Eco',
      at: '2025-03-14T09:26:53Z',
      extra: 1,
    });
  });

  it('passes JSON data through untouched', () => {
    const json = buildEventTypeModel('app.created', true);
    const value = { 'any-thing': [1, { b: 2 }] };
    expect(inputToData(json, value)).toBe(value);
  });
});

describe('findModelNameClash', () => {
  it("finds a nested type named like another event type's types", () => {
    const created = buildEventTypeModel('app.created', {
      type: 'object',
      properties: { region: { type: 'object', properties: { name: { type: 'string' } } } },
    });
    const other = buildEventTypeModel('app.created_data.region', {
      type: 'object',
      properties: { a: { type: 'string' } },
    });
    expect(findModelNameClash(other, [created])).toBe('AppCreatedDataRegion');
    expect(findModelNameClash(created, [other])).toBe('AppCreatedDataRegion');
  });

  it('finds reserved names, and none between distinct types or versions of one type', () => {
    const eventType = buildEventTypeModel('event.type', true);
    expect(findModelNameClash(eventType, [])).toBe('EventType');
    const v1 = buildEventTypeModel('app.created', {
      type: 'object',
      properties: { a: { type: 'string' } },
    });
    const v2 = buildEventTypeModel('app.created', {
      type: 'object',
      properties: { b: { type: 'string' } },
    });
    const updated = buildEventTypeModel('app.updated', {
      type: 'object',
      properties: { a: { type: 'string' } },
    });
    expect(findModelNameClash(v2, [v1, updated])).toBeUndefined();
  });
});

describe('buildEventTypeModel: depth', () => {
  it('stops typing past 32 levels of nesting, so a deep schema cannot exhaust the stack', () => {
    let schema: JsonSchema = { type: 'string' };
    for (let level = 0; level < 40; level++)
      schema = { type: 'object', properties: { next: schema } };
    const model = checked(buildEventTypeModel('app.created', schema));
    expect(model.objects).toHaveLength(32);
    expect(model.objects[31]?.fields[0]?.type).toEqual(JSON_TYPE);
    let list: JsonSchema = { type: 'integer' };
    for (let level = 0; level < 40; level++) list = { type: 'array', items: list };
    const lists = buildEventTypeModel('app.created', {
      type: 'object',
      properties: { deep: list },
    });
    let type = lists.objects[0]?.fields[0]?.type;
    let depth = 0;
    while (type?.kind === 'list') [type, depth] = [type.of, depth + 1];
    expect([depth, type]).toEqual([31, JSON_TYPE]);
  });
});
