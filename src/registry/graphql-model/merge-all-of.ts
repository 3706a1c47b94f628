/**
 * `allOf` as one schema: the common uses are object composition (`allOf: [{ $ref: base },
 * { properties: … }]`) and a described reference (`allOf: [{ $ref }], description`). Anything
 * else (two different scalars, an object and an array) stays JSON.
 */
import type { JsonSchema } from './model-types.js';
import {
  annotationsOf,
  hasShape,
  isSchemaObject,
  isUnconstrained,
  resolveRef,
  sameJson,
  typesOf,
  type SchemaObject,
} from './json-schema-view.js';

export type AllOfView =
  /** The allOf only wraps one reference: map it as that reference (its name, its cache entry). */
  | { readonly kind: 'ref'; readonly ref: string }
  /** One schema that says what all branches say; `pointers` were inlined (cycle guard). */
  | { readonly kind: 'merged'; readonly schema: SchemaObject; readonly pointers: readonly string[] }
  | { readonly kind: 'json' };

const JSON_VIEW: AllOfView = { kind: 'json' };

/**
 * Merges the `allOf` of `schema` (and `schema`'s own keywords). `inProgress` holds the pointers
 * being mapped now: inlining one of them again would never end, so that is a cycle → JSON.
 */
export function mergeAllOf(
  root: JsonSchema,
  schema: SchemaObject,
  inProgress: ReadonlySet<string>,
): AllOfView {
  const { allOf, ...own } = schema;
  if (!Array.isArray(allOf)) return JSON_VIEW;
  const only = allOf.length === 1 ? allOf[0] : undefined;
  const wrapsOneRef = isSchemaObject(only) && typeof only['$ref'] === 'string' && isPureRef(only);
  if (wrapsOneRef && !hasShape(own) && !('required' in own)) {
    return { kind: 'ref', ref: only['$ref'] as string };
  }
  const parts: SchemaObject[] = [];
  const pointers: string[] = [];
  if (!collectParts(root, schema, parts, pointers, inProgress)) return JSON_VIEW;
  const required = [...new Set(parts.flatMap((part) => stringList(part['required'])))];
  const shaped = parts.filter((part) => hasShape(part));
  const first = shaped[0];
  if (!first) return JSON_VIEW;
  if (shaped.length === 1) {
    const merged = {
      ...first,
      ...annotationsOf(own),
      ...(required.length > 0 ? { required } : {}),
    };
    return { kind: 'merged', schema: merged, pointers };
  }
  if (!shaped.every(isObjectLike)) return JSON_VIEW;
  const properties: Record<string, unknown> = {};
  for (const part of shaped) {
    const partProperties = isSchemaObject(part['properties']) ? part['properties'] : {};
    for (const [name, property] of Object.entries(partProperties)) {
      const earlier = properties[name];
      // Both branches constrain the property: the value must satisfy both.
      properties[name] =
        earlier === undefined || sameJson(earlier, property)
          ? property
          : { allOf: [earlier, property] };
    }
  }
  const merged = { ...annotationsOf(own), type: 'object', properties, required };
  return { kind: 'merged', schema: merged, pointers };
}

/** Flattens nested allOf and inlines `$ref`s into `parts`; false when a branch cannot be read. */
function collectParts(
  root: JsonSchema,
  schema: SchemaObject,
  parts: SchemaObject[],
  pointers: string[],
  inProgress: ReadonlySet<string>,
): boolean {
  const { allOf, $ref, ...own } = schema;
  parts.push(own);
  if ($ref !== undefined) {
    const target = typeof $ref === 'string' ? resolveRef(root, $ref) : undefined;
    if (!target || inProgress.has(target.pointer) || pointers.includes(target.pointer))
      return false;
    pointers.push(target.pointer);
    if (target.schema === false) return false;
    if (target.schema !== true && !collectParts(root, target.schema, parts, pointers, inProgress))
      return false;
  }
  if (allOf === undefined) return true;
  if (!Array.isArray(allOf)) return false;
  for (const branch of allOf) {
    if (branch === true) continue;
    if (!isSchemaObject(branch)) return false;
    if (!collectParts(root, branch, parts, pointers, inProgress)) return false;
  }
  return true;
}

function isPureRef(schema: SchemaObject): boolean {
  const { $ref: _ref, ...rest } = schema;
  return isUnconstrained(rest);
}

function isObjectLike(part: SchemaObject): boolean {
  const types = typesOf(part);
  if (types)
    return types.includes('object') && types.every((type) => type === 'object' || type === 'null');
  const objectKeywords = ['properties', 'patternProperties', 'additionalProperties'];
  const otherKeywords = ['items', 'prefixItems', 'enum', 'const', 'format'];
  return objectKeywords.some((k) => k in part) && !otherKeywords.some((k) => k in part);
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
