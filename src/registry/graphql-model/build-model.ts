/**
 * JSON Schema → the plain GraphQL model of one event type. What GraphQL can say exactly becomes
 * a typed field; everything else becomes JSON, so no valid event ever fails to render.
 */
import { eventTypeGraphqlNames } from '../event-type-name.js';
import { buildEnum } from './enum-model.js';
import { isGraphqlName, NameClaims, pascalCase, sanitizeGraphqlName } from './graphql-names.js';
import {
  admitsNull,
  describe,
  hasShape,
  isNullOnly,
  isSchemaObject,
  isUnconstrained,
  resolveRef,
  typesOf,
  type SchemaObject,
} from './json-schema-view.js';
import { mergeAllOf, stringList } from './merge-all-of.js';
import type {
  EventTypeGraphqlModel,
  GqlEnumModel,
  GqlField,
  GqlObjectModel,
  GqlScalarName,
  GqlTypeRef,
  JsonSchema,
} from './model-types.js';

const JSON_REF: GqlTypeRef = { kind: 'scalar', name: 'JSON' };
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** Objects and lists nested deeper than this are JSON: no client selects so deep, and it bounds recursion. */
const MAX_NESTING = 32;

/**
 * Builds the GraphQL model of event type `type` (which must be valid: `parseEventType`) from its
 * JSON Schema. Pure and deterministic: the same schema always gives the same model.
 *
 * - object with properties → object type; nested ones are named by path (AppCreatedDataRegion,
 *   list items `…Item`), `$ref` targets by definition (one type per definition);
 *   no properties (open maps, patternProperties) → JSON; `false` properties are left out
 * - required and surely never null → non-null, in the output and the input type
 * - string → String (date-time → DateTime); integer → Int, Float when bounds leave 32 bits;
 *   number → Float; boolean → Boolean; const and non-string enums → their values' scalar
 * - string enum → enum type (names sanitized and made unique, values kept); String if a value
 *   has nothing to make a name of
 * - array with one item schema → list; tuples and arrays without item schema → JSON
 * - allOf of objects → merged object; `X or null` (anyOf/oneOf) → nullable X; other
 *   anyOf/oneOf, mixed types, remote or circular `$ref` → JSON
 * - property names GraphQL cannot take are sanitized and made unique; `jsonName` keeps the name
 */
export function buildEventTypeModel(type: string, schema: JsonSchema): EventTypeGraphqlModel {
  const names = eventTypeGraphqlNames(type);
  const builder = new ModelBuilder(schema, names.dataTypeName, [
    names.typeName,
    names.publishInputName,
  ]);
  const data = builder.map(schema, names.dataTypeName);
  const typed = data.kind === 'object';
  return {
    type,
    typeName: names.typeName,
    dataTypeName: names.dataTypeName,
    publishInputName: names.publishInputName,
    publishFieldName: names.publishFieldName,
    // Only an object root is typed (shared/API.md: `data: <Type>Data!`); the rest is JSON.
    objects: typed ? builder.objects : [],
    enums: typed ? builder.enums : [],
    data: typed ? data : JSON_REF,
    dataNonNull: !admitsNull(schema, schema),
  };
}

interface MutableObjectModel extends GqlObjectModel {
  readonly fields: GqlField[];
}

class ModelBuilder {
  readonly objects: MutableObjectModel[] = [];
  readonly enums: GqlEnumModel[] = [];
  private readonly claims: NameClaims;
  /** Types of `$ref` targets already mapped: a shared definition is one GraphQL type. */
  private readonly refTypes = new Map<string, GqlTypeRef>();
  /** Pointers being mapped now: meeting one again is a cycle, which becomes JSON. */
  private readonly inProgress = new Set<string>(['#']);
  private nesting = 0;

  constructor(
    private readonly root: JsonSchema,
    private readonly dataTypeName: string,
    reserved: readonly string[],
  ) {
    this.claims = new NameClaims(reserved);
  }

  /** The type of a value matching `schema`; `hint` names the object or enum it may need. */
  map(schema: JsonSchema, hint: string): GqlTypeRef {
    if (!isSchemaObject(schema)) return JSON_REF;
    const ref = schema['$ref'];
    if (typeof ref === 'string') {
      const { $ref: _ref, ...siblings } = schema;
      // Draft 2020-12 applies keywords beside $ref too: then it is an allOf of both.
      if (hasShape(siblings)) {
        const allOf = Array.isArray(siblings['allOf']) ? siblings['allOf'] : [];
        return this.mapAllOf({ ...siblings, allOf: [{ $ref: ref }, ...allOf] }, hint);
      }
      return this.mapRef(ref, hint);
    }
    if ('$ref' in schema) return JSON_REF;
    if ('allOf' in schema) return this.mapAllOf(schema, hint);
    if (Array.isArray(schema['enum'])) return this.mapEnum(schema, schema['enum'], hint);
    if ('const' in schema) return scalarOfValues([schema['const']]) ?? JSON_REF;
    const types = typesOf(schema)?.filter((t) => t !== 'null');
    if (types === undefined) return this.mapUntyped(schema, hint);
    if (types.length === 2 && types.includes('integer') && types.includes('number')) {
      return scalar('Float');
    }
    if (types.length !== 1) return JSON_REF;
    switch (types[0]) {
      case 'string':
        return scalar(schema['format'] === 'date-time' ? 'DateTime' : 'String');
      case 'integer':
        return scalar(fitsInt32(schema) ? 'Int' : 'Float');
      case 'number':
        return scalar('Float');
      case 'boolean':
        return scalar('Boolean');
      case 'object':
        return this.mapObject(schema, hint);
      case 'array':
        return this.mapArray(schema, hint);
      default:
        return JSON_REF;
    }
  }

  /** No `type`: the shape comes from object or array keywords, or from a union with null. */
  private mapUntyped(schema: SchemaObject, hint: string): GqlTypeRef {
    if ('properties' in schema) return this.mapObject(schema, hint);
    if ('items' in schema || 'prefixItems' in schema) return this.mapArray(schema, hint);
    const unions = [schema['anyOf'], schema['oneOf']].filter((branches) => branches !== undefined);
    const branches =
      unions.length === 1 && Array.isArray(unions[0]) ? (unions[0] as JsonSchema[]) : undefined;
    if (!branches) return JSON_REF;
    // `anyOf: [X, { type: 'null' }]` is how generators write "X or null": X, nullable.
    const others = branches.filter((branch) => !isNullOnly(this.root, branch));
    const only = others[0];
    if (others.length === 1 && branches.length > 1 && only !== undefined) {
      return this.map(only, hint);
    }
    return JSON_REF;
  }

  private mapRef(ref: string, hint: string): GqlTypeRef {
    const target = resolveRef(this.root, ref);
    if (!target || this.inProgress.has(target.pointer)) return JSON_REF;
    const known = this.refTypes.get(target.pointer);
    if (known) return known;
    // A shared definition is named after itself (AppCreatedDataRegion for $defs/region), except
    // when it is the data itself.
    const name =
      hint === this.dataTypeName ? hint : `${this.dataTypeName}${pascalCase(target.name) || 'Def'}`;
    this.inProgress.add(target.pointer);
    const type = this.map(target.schema, name);
    this.inProgress.delete(target.pointer);
    this.refTypes.set(target.pointer, type);
    return type;
  }

  private mapAllOf(schema: SchemaObject, hint: string): GqlTypeRef {
    const view = mergeAllOf(this.root, schema, this.inProgress);
    if (view.kind === 'json') return JSON_REF;
    if (view.kind === 'ref') return this.mapRef(view.ref, hint);
    const added = view.pointers.filter((pointer) => !this.inProgress.has(pointer));
    for (const pointer of added) this.inProgress.add(pointer);
    try {
      return this.map(view.schema, hint);
    } finally {
      for (const pointer of added) this.inProgress.delete(pointer);
    }
  }

  private mapEnum(schema: SchemaObject, values: readonly unknown[], hint: string): GqlTypeRef {
    const present = values.filter((value) => value !== null);
    if (present.length > 0 && present.every((value) => typeof value === 'string')) {
      const model = buildEnum(
        this.claims.claim(hint),
        present as string[],
        describe(this.root, schema),
      );
      if (!model) return scalar('String');
      this.enums.push(model);
      return { kind: 'enum', name: model.name };
    }
    return scalarOfValues(present) ?? JSON_REF;
  }

  private mapObject(schema: SchemaObject, hint: string): GqlTypeRef {
    const declared = isSchemaObject(schema['properties']) ? schema['properties'] : {};
    // A `false` property may never appear: it is no field. No field left: an open map, JSON.
    const properties = Object.entries(declared as Record<string, JsonSchema>).filter(
      ([, property]) => property !== false,
    );
    if (properties.length === 0) return JSON_REF;
    if (this.nesting >= MAX_NESTING) return JSON_REF;
    const name = this.claims.claim(hint, { companions: ['Input'] });
    const description = describe(this.root, schema);
    const model: MutableObjectModel = { name, fields: [], ...(description ? { description } : {}) };
    this.objects.push(model);
    const required = new Set(stringList(schema['required']));
    const fieldNames = fieldNamesOf(properties.map(([jsonName]) => jsonName));
    this.nesting++;
    for (const [jsonName, property] of properties) {
      const fieldName = fieldNames.get(jsonName)!;
      const fieldDescription = describe(this.root, property);
      model.fields.push({
        name: fieldName,
        jsonName,
        type: this.map(property, `${name}${pascalCase(jsonName) || 'Field'}`),
        nonNull: required.has(jsonName) && !admitsNull(this.root, property),
        ...(fieldDescription ? { description: fieldDescription } : {}),
      });
    }
    this.nesting--;
    return { kind: 'object', name };
  }

  private mapArray(schema: SchemaObject, hint: string): GqlTypeRef {
    const items = schema['items'];
    // Tuples (prefixItems, draft-07 array items) and unconstrained items have no one item type.
    if ('prefixItems' in schema || !isSchemaObject(items) || isUnconstrained(items)) {
      return JSON_REF;
    }
    if (this.nesting >= MAX_NESTING) return JSON_REF;
    this.nesting++;
    const of = this.map(items, `${hint}Item`);
    this.nesting--;
    return { kind: 'list', of, nonNullItems: !admitsNull(this.root, items) };
  }
}

/** JSON property names → GraphQL field names: valid names first and as they are, then the rest. */
function fieldNamesOf(jsonNames: readonly string[]): Map<string, string> {
  const claims = new NameClaims();
  const names = new Map<string, string>();
  for (const jsonName of jsonNames)
    if (isGraphqlName(jsonName)) names.set(jsonName, claims.claim(jsonName));
  for (const jsonName of jsonNames) {
    if (names.has(jsonName)) continue;
    names.set(jsonName, claims.claim(sanitizeGraphqlName(jsonName) ?? 'field', { separator: '_' }));
  }
  return names;
}

function scalar(name: GqlScalarName): GqlTypeRef {
  return { kind: 'scalar', name };
}

/** The scalar all of `values` share (const, non-string enums), or undefined when mixed. */
function scalarOfValues(values: readonly unknown[]): GqlTypeRef | undefined {
  if (values.length === 0) return undefined;
  if (values.every((value) => typeof value === 'string')) return scalar('String');
  if (values.every((value) => typeof value === 'boolean')) return scalar('Boolean');
  if (values.every((value) => typeof value === 'number')) {
    const ints = values.every(
      (value) => Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX,
    );
    return scalar(ints ? 'Int' : 'Float');
  }
  return undefined;
}

/** An integer is Int unless a bound lets it leave the 32 bits GraphQL's Int holds. */
function fitsInt32(schema: SchemaObject): boolean {
  const bound = (keyword: string, fallback: number): number =>
    typeof schema[keyword] === 'number' ? (schema[keyword] as number) : fallback;
  const lowest = Math.max(bound('minimum', -Infinity), bound('exclusiveMinimum', -Infinity) + 1);
  const highest = Math.min(bound('maximum', Infinity), bound('exclusiveMaximum', Infinity) - 1);
  // Unbounded counts as fitting: the contract maps `integer` to Int unless bounds say otherwise.
  return (
    (lowest === -Infinity || lowest >= INT32_MIN) && (highest === Infinity || highest <= INT32_MAX)
  );
}
