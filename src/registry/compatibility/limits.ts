import { childPath, type DiffContext, type Finding } from './diff-context.js';
import { numberKeyword, type SchemaObject } from './schema-node.js';

/**
 * An upper count limit (maxLength, maxItems, maxProperties, maxContains): the reader may raise
 * or drop it, not add or lower it. `code` is the kebab stem, e.g. "max-length".
 */
export function compareMaxCount(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
  keyword: string,
  code: string,
): Finding[] {
  const readerMax = numberKeyword(r, keyword);
  if (readerMax === undefined) return [];
  const writerMax = numberKeyword(w, keyword);
  const at = childPath(path, keyword);
  if (writerMax === undefined) {
    return [
      ctx.change(
        at,
        `${code}-added`,
        `${ctx.roles.reader} has ${keyword} ${readerMax}, which ${ctx.roles.writer} does not have`,
      ),
    ];
  }
  if (readerMax < writerMax) {
    return [
      ctx.change(
        at,
        `${code}-decreased`,
        `${ctx.roles.reader} has ${keyword} ${readerMax} where ${ctx.roles.writer} has ${writerMax}`,
      ),
    ];
  }
  return [];
}

/** A lower count limit (minLength, minItems, …): the reader may lower or drop it; 0 is no limit. */
export function compareMinCount(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
  keyword: string,
  code: string,
  implicit = 0,
): Finding[] {
  const readerMin = numberKeyword(r, keyword) ?? implicit;
  const writerMin = numberKeyword(w, keyword);
  if (readerMin <= (writerMin ?? implicit)) return [];
  const at = childPath(path, keyword);
  if (writerMin === undefined) {
    return [
      ctx.change(
        at,
        `${code}-added`,
        `${ctx.roles.reader} has ${keyword} ${readerMin}, which ${ctx.roles.writer} does not have`,
      ),
    ];
  }
  return [
    ctx.change(
      at,
      `${code}-increased`,
      `${ctx.roles.reader} has ${keyword} ${readerMin} where ${ctx.roles.writer} has ${writerMin}`,
    ),
  ];
}
