import { childPath, show, type DiffContext, type Finding } from './diff-context.js';
import { deepEqual } from './deep-equal.js';
import { compareCountLimit, keywordCode, limitAdded } from './limits.js';
import {
  admits,
  enumValues,
  numberKeyword,
  stringKeyword,
  typeOfValue,
  type JsonType,
  type SchemaObject,
} from './schema-node.js';

/** enum/const: the reader may add values or drop the list, not remove values or add a list. */
export function compareEnums(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
  writerTypes: ReadonlySet<JsonType>,
): Finding[] {
  const readerValues = enumValues(r);
  if (!readerValues) return [];
  const keyword = 'const' in r ? 'const' : 'enum';
  const at = childPath(path, keyword);
  const { reader, writer } = ctx.roles;
  const writerValues = enumValues(w);
  if (!writerValues) {
    return [
      ctx.change(
        at,
        `${keyword}-added`,
        `${reader} limits the value to ${show(readerValues)}, which ${writer} does not`,
      ),
    ];
  }
  const lost = writerValues.filter(
    (value) =>
      admits(writerTypes, typeOfValue(value)) &&
      !readerValues.some((allowed) => deepEqual(allowed, value)),
  );
  if (lost.length === 0) return [];
  const change = keyword === 'const' ? 'const-changed' : 'enum-value-removed';
  return [
    ctx.change(
      at,
      change,
      `${reader} does not accept ${lost.map(show).join(', ')}, which ${writer} allows`,
    ),
  ];
}

/** String bounds, pattern and format: the reader may loosen them, not tighten or add them. */
export function compareStrings(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  return [
    ...compareCountLimit(ctx, w, r, path, 'maxLength'),
    ...compareCountLimit(ctx, w, r, path, 'minLength'),
    ...compareExact(ctx, w, r, path, 'pattern'),
    // Confluent ignores format; we validate formats (ajv-formats), so a new one rejects data.
    ...compareExact(ctx, w, r, path, 'format'),
  ];
}

function compareExact(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
  keyword: string,
): Finding[] {
  const readerValue = stringKeyword(r, keyword);
  if (readerValue === undefined) return [];
  const writerValue = stringKeyword(w, keyword);
  if (writerValue === readerValue) return [];
  const { reader, writer } = ctx.roles;
  const at = childPath(path, keyword);
  if (writerValue === undefined) {
    return [
      ctx.change(
        at,
        `${keyword}-added`,
        `${reader} has ${keyword} ${show(readerValue)}, which ${writer} does not have`,
      ),
    ];
  }
  return [
    ctx.change(
      at,
      `${keyword}-changed`,
      `${reader} has ${keyword} ${show(readerValue)} where ${writer} has ${show(writerValue)}`,
    ),
  ];
}

interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
  readonly keyword: string;
}

/**
 * Numeric bounds compared as effective limits, so `maximum: 10` → `exclusiveMaximum: 11` on
 * integers is no change; multipleOf may only become a divisor of the writer's.
 */
export function compareNumbers(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
  integersOnly: boolean,
): Finding[] {
  // Each limit as [writer's, reader's].
  const bounds = (keyword: 'maximum' | 'minimum') =>
    [bound(w, keyword, integersOnly), bound(r, keyword, integersOnly)] as const;
  const steps = [numberKeyword(w, 'multipleOf'), numberKeyword(r, 'multipleOf')] as const;
  return [
    ...compareBound(ctx, path, ...bounds('maximum'), 'upper'),
    ...compareBound(ctx, path, ...bounds('minimum'), 'lower'),
    ...compareMultipleOf(ctx, path, ...steps, integersOnly),
  ];
}

function compareBound(
  ctx: DiffContext,
  path: string,
  writerBound: Bound | undefined,
  readerBound: Bound | undefined,
  side: 'upper' | 'lower',
): Finding[] {
  if (!readerBound) return [];
  const { reader, writer } = ctx.roles;
  const code = keywordCode(readerBound.keyword);
  const at = childPath(path, readerBound.keyword);
  if (!writerBound) return [limitAdded(ctx, at, readerBound.keyword, readerBound.value)];
  const sign = side === 'upper' ? 1 : -1;
  const tighter =
    sign * readerBound.value < sign * writerBound.value ||
    (readerBound.value === writerBound.value && readerBound.exclusive && !writerBound.exclusive);
  if (!tighter) return [];
  const verb = side === 'upper' ? 'decreased' : 'increased';
  const message = `${reader} limits values to ${describe(readerBound, side)} where ${writer} allows ${describe(writerBound, side)}`;
  return [ctx.change(at, `${code}-${verb}`, message)];
}

function describe(limit: Bound, side: 'upper' | 'lower'): string {
  const op = side === 'upper' ? (limit.exclusive ? '<' : '<=') : limit.exclusive ? '>' : '>=';
  return `${op} ${limit.value}`;
}

/** The tightest of `maximum`/`exclusiveMaximum` (or the minimum pair); draft-04 booleans too. */
function bound(
  node: SchemaObject,
  inclusiveKeyword: 'maximum' | 'minimum',
  integersOnly: boolean,
): Bound | undefined {
  const exclusiveKeyword = inclusiveKeyword === 'maximum' ? 'exclusiveMaximum' : 'exclusiveMinimum';
  const upper = inclusiveKeyword === 'maximum';
  const candidates: Bound[] = [];
  const inclusive = numberKeyword(node, inclusiveKeyword);
  if (inclusive !== undefined) {
    candidates.push({
      value: inclusive,
      exclusive: node[exclusiveKeyword] === true,
      keyword: inclusiveKeyword,
    });
  }
  const exclusive = numberKeyword(node, exclusiveKeyword);
  if (exclusive !== undefined)
    candidates.push({ value: exclusive, exclusive: true, keyword: exclusiveKeyword });
  const normalized = integersOnly ? candidates.map((c) => toIntegerBound(c, upper)) : candidates;
  return normalized.reduce<Bound | undefined>((tightest, c) => {
    if (!tightest) return c;
    const tighter = upper ? c.value < tightest.value : c.value > tightest.value;
    return tighter || (c.value === tightest.value && c.exclusive) ? c : tightest;
  }, undefined);
}

// For integers, "< 10" and "<= 9" are the same limit; compare them as inclusive integers.
function toIntegerBound(limit: Bound, upper: boolean): Bound {
  const value = upper
    ? limit.exclusive
      ? Math.ceil(limit.value) - 1
      : Math.floor(limit.value)
    : limit.exclusive
      ? Math.floor(limit.value) + 1
      : Math.ceil(limit.value);
  return { value, exclusive: false, keyword: limit.keyword };
}

/** multipleOf may only become a divisor of the writer's step (1 on integers without one). */
function compareMultipleOf(
  ctx: DiffContext,
  path: string,
  writerStep: number | undefined,
  readerStep: number | undefined,
  integersOnly: boolean,
): Finding[] {
  if (readerStep === undefined) return [];
  const at = childPath(path, 'multipleOf');
  const effectiveWriterStep = writerStep ?? (integersOnly ? 1 : undefined);
  if (effectiveWriterStep !== undefined && isMultiple(effectiveWriterStep, readerStep)) return [];
  if (writerStep === undefined) return [limitAdded(ctx, at, 'multipleOf', readerStep)];
  const { reader, writer } = ctx.roles;
  return [
    ctx.change(
      at,
      'multiple-of-changed',
      `${reader} requires multiples of ${readerStep}, but ${writer} allows multiples of ${writerStep}`,
    ),
  ];
}

function isMultiple(value: number, step: number): boolean {
  const quotient = value / step;
  return Math.abs(quotient - Math.round(quotient)) < 1e-9;
}
