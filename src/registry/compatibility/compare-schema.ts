import { compareArrays } from './compare-array.js';
import { compareComposites, hasCombinator } from './compare-composite.js';
import { compareObjects } from './compare-object.js';
import { compareEnums, compareNumbers, compareStrings } from './compare-scalar.js';
import { childPath, type DiffContext, type Finding } from './diff-context.js';
import { deepEqual } from './deep-equal.js';
import {
  admits,
  admittedTypes,
  asObject,
  isAny,
  isNone,
  isSchemaObject,
  subschema,
  type JsonType,
  type SchemaNode,
  type SchemaObject,
} from './schema-node.js';

/**
 * The changes that keep `reader` from accepting every value `writer` accepts, at `path`.
 * Writer and reader nodes belong to the context's writer and reader documents.
 */
export function compareSchemas(
  ctx: DiffContext,
  writerNode: SchemaNode,
  readerNode: SchemaNode,
  path: string,
): Finding[] {
  const writer = ctx.writer.deref(writerNode);
  const reader = ctx.reader.deref(readerNode);
  if (isNone(writer) || isAny(reader)) return [];
  if (isNone(reader)) {
    return [
      ctx.change(
        path,
        'type-narrowed',
        `${ctx.roles.reader} accepts nothing here but ${ctx.roles.writer} accepts data`,
      ),
    ];
  }
  const unresolved = compareUnresolvedRefs(ctx, writer, reader, path);
  if (unresolved) return unresolved;
  const known = ctx.recall(writer, reader, path);
  if (known) return [...known];
  if (!ctx.enter(writer, reader)) return [];
  try {
    const w = asObject(writer);
    const r = asObject(reader);
    const findings =
      hasCombinator(w) || hasCombinator(r)
        ? compareComposites(ctx, w, r, path)
        : compareBases(ctx, w, r, path);
    return ctx.remember(writer, reader, path, findings);
  } finally {
    ctx.leave(writer, reader);
  }
}

/**
 * Compares two nodes without allOf/anyOf/oneOf: types first, then the keywords of each type
 * both admit, then `not` and if/then/else.
 */
export function compareBases(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const { reader, writer } = ctx.roles;
  const writerTypes = admittedTypes(w);
  const readerTypes = admittedTypes(r);
  const lost = [...writerTypes].filter((type) => !admits(readerTypes, type));
  const numeric = (types: ReadonlySet<JsonType>): boolean =>
    types.has('number') || types.has('integer');
  // number → integer keeps the integers: a narrowing, as Confluent's TYPE_NARROWED.
  const kept =
    [...writerTypes].some((type) => admits(readerTypes, type)) ||
    (numeric(writerTypes) && numeric(readerTypes));
  if (!kept && writerTypes.size > 0) {
    const message = `${writer} allows ${listTypes(writerTypes)} but ${reader} accepts only ${listTypes(readerTypes)}`;
    return [ctx.change(path, 'type-changed', message)];
  }
  const changes: Finding[] = [];
  if (lost.length > 0) {
    // Integers survive a number → integer change; say what is really lost.
    const names = lost.map((type) =>
      type === 'number' && readerTypes.has('integer') ? 'non-integer numbers' : type,
    );
    const message = `${reader} does not accept ${names.join(' | ')}, which ${writer} allows`;
    changes.push(ctx.change(path, 'type-narrowed', message));
  }
  const shared = (type: JsonType): boolean => writerTypes.has(type) && admits(readerTypes, type);
  changes.push(...compareEnums(ctx, w, r, path, writerTypes));
  if (shared('string')) changes.push(...compareStrings(ctx, w, r, path));
  if (numeric(writerTypes) && numeric(readerTypes)) {
    const integersOnly = !writerTypes.has('number') || !readerTypes.has('number');
    changes.push(...compareNumbers(ctx, w, r, path, integersOnly));
  }
  if (shared('object')) changes.push(...compareObjects(ctx, w, r, path));
  if (shared('array')) changes.push(...compareArrays(ctx, w, r, path));
  changes.push(...compareNots(ctx, w, r, path), ...compareConditionals(ctx, w, r, path));
  return changes;
}

function listTypes(types: Iterable<JsonType>): string {
  return [...types].join(' | ') || 'no value';
}

/** Reader data must never match the reader's `not`: holds when the writer excludes at least that. */
function compareNots(ctx: DiffContext, w: SchemaObject, r: SchemaObject, path: string): Finding[] {
  const readerNot = subschema(r, 'not');
  if (readerNot === undefined) return [];
  const notPath = childPath(path, 'not');
  const writerNot = subschema(w, 'not');
  if (writerNot === undefined) {
    return [
      ctx.change(
        notPath,
        'not-added',
        `${ctx.roles.reader} has a "not" that ${ctx.roles.writer} does not have`,
      ),
    ];
  }
  // Everything the reader excludes must already be excluded by the writer: a reversed check.
  const reversed = compareSchemas(ctx.swapped(), readerNot, writerNot, notPath);
  if (reversed.length === 0) return [];
  return [
    ctx.change(
      notPath,
      'not-type-extended',
      `${ctx.roles.reader} excludes values that ${ctx.roles.writer} allows (${ctx.reason(reversed, notPath)})`,
    ),
  ];
}

/** if/then/else is compared as a whole: the reader may drop it, not add or change it. */
function compareConditionals(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const keywords = ['if', 'then', 'else'] as const;
  if (!keywords.some((k) => k in r)) return [];
  if (keywords.every((k) => deepEqual(w[k], r[k]))) return [];
  return [
    ctx.change(
      childPath(path, 'if'),
      'conditional-changed',
      `${ctx.roles.reader} has an if/then/else that ${ctx.roles.writer} does not have in the same form`,
    ),
  ];
}

/** A `$ref` left unresolved (remote or dangling) is compatible only with the same `$ref`. */
function compareUnresolvedRefs(
  ctx: DiffContext,
  writer: SchemaNode,
  reader: SchemaNode,
  path: string,
): Finding[] | undefined {
  const writerRef = isSchemaObject(writer) ? writer['$ref'] : undefined;
  const readerRef = isSchemaObject(reader) ? reader['$ref'] : undefined;
  if (typeof writerRef !== 'string' && typeof readerRef !== 'string') return undefined;
  if (writerRef === readerRef) return [];
  const ref = typeof readerRef === 'string' ? readerRef : String(writerRef);
  return [
    ctx.change(
      childPath(path, '$ref'),
      'reference-unresolved',
      `"${ref}" cannot be resolved within the schema, so compatibility cannot be shown`,
    ),
  ];
}
