/** Reading JSON Schemas the way the GraphQL model needs: local `$ref`s, keyword kinds, null. */
import type { JsonSchema } from './model-types.js';

export type SchemaObject = { readonly [keyword: string]: unknown };

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keywords that change no value's shape: documentation, identifiers and definitions. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$schema',
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$vocabulary',
  '$defs',
  'definitions',
  'contentMediaType',
  'contentEncoding',
]);

/** Keywords that decide which GraphQL type a value gets; every other keyword only narrows. */
const SHAPE_KEYWORDS = [
  'type',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'prefixItems',
  'enum',
  'const',
  'format',
  '$ref',
  'allOf',
  'anyOf',
  'oneOf',
] as const;

/** True when the schema holds nothing but annotations (`{}`, `{ description }`, `true`). */
export function isUnconstrained(schema: JsonSchema): boolean {
  if (schema === true) return true;
  if (!isSchemaObject(schema)) return false;
  return Object.keys(schema).every((keyword) => ANNOTATIONS.has(keyword));
}

/**
 * True when the schema decides a shape. A combinator whose branches only add constraints
 * (`oneOf: [{ required: ['a'] }, { required: ['b'] }]`) decides none.
 */
export function hasShape(schema: JsonSchema): boolean {
  if (!isSchemaObject(schema)) return false;
  return SHAPE_KEYWORDS.some((keyword) => {
    if (!(keyword in schema)) return false;
    if (keyword !== 'allOf' && keyword !== 'anyOf' && keyword !== 'oneOf') return true;
    const branches = schema[keyword];
    return !Array.isArray(branches) || branches.some((branch) => hasShape(branch as JsonSchema));
  });
}

/** The annotations of a schema, to carry a description over to a schema built from it. */
export function annotationsOf(schema: SchemaObject): SchemaObject {
  return Object.fromEntries(Object.entries(schema).filter(([keyword]) => ANNOTATIONS.has(keyword)));
}

/** The `type` keyword as a list; undefined when absent or malformed. */
export function typesOf(schema: SchemaObject): string[] | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type) && type.every((t) => typeof t === 'string')) return type as string[];
  return undefined;
}

/** `description`, else `title`, following `$ref`s when the schema itself has neither. */
export function describe(root: JsonSchema, schema: JsonSchema, depth = 0): string | undefined {
  if (!isSchemaObject(schema) || depth > 16) return undefined;
  for (const keyword of ['description', 'title']) {
    const text = schema[keyword];
    if (typeof text === 'string' && text.trim() !== '') return text;
  }
  const target = typeof schema['$ref'] === 'string' ? resolveRef(root, schema['$ref']) : undefined;
  return target ? describe(root, target.schema, depth + 1) : undefined;
}

export interface ResolvedRef {
  /** The canonical pointer (`#/$defs/region`), one per target. */
  readonly pointer: string;
  /** Its last token (`region`), to name the type. */
  readonly name: string;
  readonly schema: JsonSchema;
}

/**
 * Resolves a local reference (`#`, `#/$defs/x`, `#/definitions/x`, any JSON pointer into the
 * document). Undefined for remote references, anchors and pointers to nothing: the caller then
 * falls back to JSON.
 */
export function resolveRef(root: JsonSchema, ref: string): ResolvedRef | undefined {
  if (!ref.startsWith('#')) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (fragment !== '' && !fragment.startsWith('/')) return undefined;
  const tokens = fragment === '' ? [] : fragment.slice(1).split('/').map(unescapeToken);
  let node: unknown = root;
  for (const token of tokens) {
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(token)) node = node[Number(token)];
    else if (isSchemaObject(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  if (typeof node !== 'boolean' && !isSchemaObject(node)) return undefined;
  return {
    pointer: tokens.length === 0 ? '#' : `#/${tokens.map(escapeToken).join('/')}`,
    name: tokens[tokens.length - 1] ?? '',
    schema: node,
  };
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * True when some value the schema accepts is null, as far as can be told without evaluating it:
 * unknown (no type, an unresolvable or circular `$ref`) counts as true, so a field is only ever
 * made non-null when null is surely refused.
 */
export function admitsNull(
  root: JsonSchema,
  schema: JsonSchema,
  seen: ReadonlySet<string> = new Set(),
): boolean {
  if (typeof schema === 'boolean') return schema;
  if (!isSchemaObject(schema)) return true;
  const types = typesOf(schema);
  if (types && !types.includes('null')) return false;
  if ('const' in schema && schema['const'] !== null) return false;
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(null)) return false;
  if (typeof schema['$ref'] === 'string') {
    const target = resolveRef(root, schema['$ref']);
    if (target && !seen.has(target.pointer)) {
      if (!admitsNull(root, target.schema, new Set([...seen, target.pointer]))) return false;
    }
  }
  const branches = (keyword: string): JsonSchema[] | undefined =>
    Array.isArray(schema[keyword]) ? (schema[keyword] as JsonSchema[]) : undefined;
  const allOf = branches('allOf');
  if (allOf && !allOf.every((branch) => admitsNull(root, branch, seen))) return false;
  for (const keyword of ['anyOf', 'oneOf']) {
    const some = branches(keyword);
    if (some && !some.some((branch) => admitsNull(root, branch, seen))) return false;
  }
  return true;
}

/** True when the schema accepts null and nothing else (`{ type: 'null' }`, `{ const: null }`). */
export function isNullOnly(root: JsonSchema, schema: JsonSchema): boolean {
  if (!isSchemaObject(schema)) return false;
  if (typeof schema['$ref'] === 'string') {
    const target = resolveRef(root, schema['$ref']);
    return target !== undefined && isNullOnly(root, target.schema);
  }
  const types = typesOf(schema);
  if (types) return types.length > 0 && types.every((type) => type === 'null');
  if ('const' in schema) return schema['const'] === null;
  const values = schema['enum'];
  return Array.isArray(values) && values.length > 0 && values.every((value) => value === null);
}

/** Deep equality of JSON values, to tell whether two allOf branches say the same of a property. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => sameJson(x, b[i]))
    );
  }
  if (!isSchemaObject(a) || !isSchemaObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]))
  );
}
