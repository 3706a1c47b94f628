import { compileLinearRegex, type LinearRegex } from '../linear-regex.js';
import { compareSchemas } from './compare-schema.js';
import type { DiffContext, Finding } from './diff-context.js';
import {
  isAny,
  isNone,
  subschema,
  subschemaMap,
  type SchemaNode,
  type SchemaObject,
} from './schema-node.js';
import type { SchemaSide } from './schema-side.js';

/**
 * Confluent's content models: what a schema says about object properties (or array items) it
 * does not declare. Open: anything goes (additionalProperties absent or true). Closed: none are
 * allowed (false). Partially open: they must match a schema (additionalProperties as a schema,
 * or patternProperties).
 */
export type ContentModel =
  | { readonly kind: 'open' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'partial'; readonly schema: SchemaNode };

export function contentModelOf(side: SchemaSide, node: SchemaNode | undefined): ContentModel {
  const resolved = node === undefined ? true : side.deref(node);
  if (isAny(resolved)) return { kind: 'open' };
  if (isNone(resolved)) return { kind: 'closed' };
  return { kind: 'partial', schema: resolved };
}

/** The keyword that governs undeclared properties: additionalProperties, else unevaluatedProperties. */
export function extraPropertiesKeyword(
  node: SchemaObject,
): 'additionalProperties' | 'unevaluatedProperties' {
  return subschema(node, 'additionalProperties') === undefined &&
    subschema(node, 'unevaluatedProperties') !== undefined
    ? 'unevaluatedProperties'
    : 'additionalProperties';
}

/** The content model for properties the node does not declare, ignoring patternProperties. */
export function extraPropertiesModel(side: SchemaSide, node: SchemaObject): ContentModel {
  return contentModelOf(side, subschema(node, extraPropertiesKeyword(node)));
}

/** What the node demands of an undeclared property named `key`: matching patterns, else extras. */
export function undeclaredPropertyModel(
  side: SchemaSide,
  node: SchemaObject,
  key: string,
): ContentModel {
  const matching = [...subschemaMap(node, 'patternProperties')]
    .filter(([pattern]) => matches(pattern, key))
    .map(([, schema]) => schema);
  if (matching.length === 0) return extraPropertiesModel(side, node);
  return contentModelOf(side, matching.length === 1 ? matching[0] : { allOf: matching });
}

/**
 * Compares what two schemas allow beyond what they declare. Shared with array items
 * (`noun` "items", `code` "additional-items").
 */
export function compareContentModels(
  ctx: DiffContext,
  writerModel: ContentModel,
  readerModel: ContentModel,
  at: string,
  code: string,
  noun: string,
): Finding[] {
  const { reader, writer } = ctx.roles;
  if (writerModel.kind === 'closed' || readerModel.kind === 'open') return [];
  if (readerModel.kind === 'closed') {
    return [
      ctx.change(
        at,
        `${code}-removed`,
        `${reader} has a closed content model, but ${writer} allows undeclared ${noun}`,
      ),
    ];
  }
  if (writerModel.kind === 'open') {
    return [
      ctx.change(
        at,
        `${code}-narrowed`,
        `${reader} limits undeclared ${noun} to a schema, but ${writer} allows any`,
      ),
    ];
  }
  return compareSchemas(ctx, writerModel.schema, readerModel.schema, at);
}

const compiled = new Map<string, LinearRegex | null>();

function matches(pattern: string, key: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = compileRegex(pattern);
    if (compiled.size >= 1000) compiled.clear(); // patterns come from registered schemas; stay bounded
    compiled.set(pattern, regex);
  }
  return regex?.test(key) ?? false;
}

/** Linear-time, as validation: the property names tested come from the schema being registered. */
function compileRegex(pattern: string): LinearRegex | null {
  try {
    return compileLinearRegex(pattern);
  } catch {
    return null; // an unsupported pattern matches nothing (registration refuses it anyway)
  }
}
