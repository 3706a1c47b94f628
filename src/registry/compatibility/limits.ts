import { childPath, type DiffContext, type Finding } from './diff-context.js';
import { numberKeyword, type SchemaObject } from './schema-node.js';

/** The kebab stem of a keyword's finding codes: "maxLength" → "max-length". */
export function keywordCode(keyword: string): string {
  return keyword.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The finding for a limit the reader has and the writer does not; `at` is the keyword's path. */
export function limitAdded(
  ctx: DiffContext,
  at: string,
  keyword: string,
  readerValue: number,
): Finding {
  const { reader, writer } = ctx.roles;
  return ctx.change(
    at,
    `${keywordCode(keyword)}-added`,
    `${reader} has ${keyword} ${readerValue}, which ${writer} does not have`,
  );
}

/**
 * A count limit: upper (maxLength, maxItems, maxProperties, maxContains), which the reader may
 * raise or drop, or lower (minLength, …), which it may lower or drop; neither may be added or
 * tightened. A lower limit of `implicit` (0 unless said) is no limit.
 */
export function compareCountLimit(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
  keyword: `max${string}` | `min${string}`,
  implicit = 0,
): Finding[] {
  const upper = keyword.startsWith('max');
  const readerValue = numberKeyword(r, keyword) ?? (upper ? undefined : implicit);
  const writerValue = numberKeyword(w, keyword);
  if (readerValue === undefined) return [];
  const tighter = upper
    ? writerValue === undefined || readerValue < writerValue
    : readerValue > (writerValue ?? implicit);
  if (!tighter) return [];
  const at = childPath(path, keyword);
  if (writerValue === undefined) return [limitAdded(ctx, at, keyword, readerValue)];
  const { reader, writer } = ctx.roles;
  return [
    ctx.change(
      at,
      `${keywordCode(keyword)}-${upper ? 'decreased' : 'increased'}`,
      `${reader} has ${keyword} ${readerValue} where ${writer} has ${writerValue}`,
    ),
  ];
}
