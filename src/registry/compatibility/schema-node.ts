/**
 * Reading raw JSON Schema nodes (draft-07 and 2020-12) for the compatibility checker: which
 * keywords constrain data, which JSON types a node admits, and its enum values.
 */

/** A schema or sub-schema as registered: an object or a boolean. */
export type SchemaNode = boolean | Readonly<Record<string, unknown>>;
export type SchemaObject = Readonly<Record<string, unknown>>;

export const JSON_TYPES = [
  'null',
  'boolean',
  'object',
  'array',
  'number',
  'integer',
  'string',
] as const;
export type JsonType = (typeof JSON_TYPES)[number];

export const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;
export type Combinator = (typeof COMBINATORS)[number];

// Keywords that imply a type when `type` is absent, the way Confluent's (everit) loader builds
// an object, array, string or number schema from them.
const FAMILY_KEYWORDS: ReadonlyArray<readonly [readonly JsonType[], readonly string[]]> = [
  [['string'], ['minLength', 'maxLength', 'pattern', 'format']],
  [['number'], ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']],
  [
    ['object'],
    [
      'properties',
      'required',
      'additionalProperties',
      'patternProperties',
      'minProperties',
      'maxProperties',
      'dependencies',
      'dependentRequired',
      'dependentSchemas',
      'propertyNames',
      'unevaluatedProperties',
    ],
  ],
  [
    ['array'],
    [
      'items',
      'prefixItems',
      'additionalItems',
      'minItems',
      'maxItems',
      'uniqueItems',
      'contains',
      'minContains',
      'maxContains',
      'unevaluatedItems',
    ],
  ],
];

// Everything else (title, description, default, examples, $defs, $comment, x-…) only annotates.
const CONSTRAINT_KEYWORDS = new Set<string>([
  ...FAMILY_KEYWORDS.flatMap(([, keywords]) => keywords),
  ...COMBINATORS,
  'type',
  'enum',
  'const',
  'not',
  'if',
  'then',
  'else',
  '$ref',
]);

export function isSchemaObject(node: unknown): node is SchemaObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** True when the node accepts every value (`true`, `{}`, or annotations only). */
export function isAny(node: SchemaNode): boolean {
  if (node === true) return true;
  if (!isSchemaObject(node)) return false;
  return !Object.keys(node).some((keyword) => CONSTRAINT_KEYWORDS.has(keyword));
}

/** True when the node accepts nothing (`false` or `{ "not": {} }`). */
export function isNone(node: SchemaNode): boolean {
  if (node === false) return true;
  if (!isSchemaObject(node) || !('not' in node)) return false;
  const constraints = Object.keys(node).filter((keyword) => CONSTRAINT_KEYWORDS.has(keyword));
  return constraints.length === 1 && isAny(node['not'] as SchemaNode);
}

/** True when the node has constraint keywords other than `except`. */
export function hasConstraintsBesides(node: SchemaObject, except: string): boolean {
  return Object.keys(node).some(
    (keyword) => keyword !== except && CONSTRAINT_KEYWORDS.has(keyword),
  );
}

export function asObject(node: SchemaNode): SchemaObject {
  return isSchemaObject(node) ? node : {};
}

/** A sub-schema keyword's value as a node, or undefined when absent or malformed. */
export function subschema(node: SchemaObject, keyword: string): SchemaNode | undefined {
  const value = node[keyword];
  return typeof value === 'boolean' || isSchemaObject(value) ? value : undefined;
}

export function subschemaList(node: SchemaObject, keyword: string): SchemaNode[] | undefined {
  const value = node[keyword];
  if (!Array.isArray(value)) return undefined;
  return value.filter(
    (item): item is SchemaNode => typeof item === 'boolean' || isSchemaObject(item),
  );
}

/** A keyword's map of sub-schemas (properties, patternProperties) as a Map: keys are user data. */
export function subschemaMap(node: SchemaObject, keyword: string): ReadonlyMap<string, SchemaNode> {
  const value = node[keyword];
  if (!isSchemaObject(value)) return new Map();
  const entries = Object.entries(value).filter(
    (entry): entry is [string, SchemaNode] =>
      typeof entry[1] === 'boolean' || isSchemaObject(entry[1]),
  );
  return new Map(entries);
}

export function numberKeyword(node: SchemaObject, keyword: string): number | undefined {
  const value = node[keyword];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function stringKeyword(node: SchemaObject, keyword: string): string | undefined {
  const value = node[keyword];
  return typeof value === 'string' ? value : undefined;
}

export function requiredSet(node: SchemaObject): Set<string> {
  const value = node['required'];
  return new Set(
    Array.isArray(value) ? value.filter((key): key is string => typeof key === 'string') : [],
  );
}

/** The values the node is limited to by `const` or `enum`, if any. */
export function enumValues(node: SchemaObject): readonly unknown[] | undefined {
  if ('const' in node) return [node['const']];
  const values = node['enum'];
  return Array.isArray(values) ? values : undefined;
}

export function typeOfValue(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'boolean' : 'string';
}

/** Whether a set of admitted types admits values of type `type` (integers are numbers). */
export function admits(types: ReadonlySet<JsonType>, type: JsonType): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

/**
 * The JSON types a node admits: its `type`, else the types of its enum values, else the types
 * implied by its keywords (an everit/Confluent convention), else every type.
 */
export function admittedTypes(node: SchemaObject): Set<JsonType> {
  const declared = declaredTypes(node);
  const values = enumValues(node);
  if (values) {
    const ofValues = values.map(typeOfValue).filter((type) => !declared || admits(declared, type));
    return new Set(ofValues);
  }
  if (declared) return declared;
  const implied = FAMILY_KEYWORDS.filter(([, keywords]) => keywords.some((k) => k in node)).flatMap(
    ([types]) => types,
  );
  return new Set(implied.length > 0 ? implied : JSON_TYPES);
}

function declaredTypes(node: SchemaObject): Set<JsonType> | undefined {
  const type = node['type'];
  const list = typeof type === 'string' ? [type] : Array.isArray(type) ? type : undefined;
  if (!list) return undefined;
  return new Set(list.filter((t): t is JsonType => (JSON_TYPES as readonly unknown[]).includes(t)));
}

/** The types listed by the node's `type` keyword; empty when it has none. */
export function declaredTypeList(node: SchemaObject): JsonType[] {
  return [...(declaredTypes(node) ?? [])];
}
