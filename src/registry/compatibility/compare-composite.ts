import { compareBases, compareSchemas } from './compare-schema.js';
import { childPath, type DiffContext, type Finding } from './diff-context.js';
import { deepEqual } from './deep-equal.js';
import { maximumMatching } from './maximum-matching.js';
import {
  COMBINATORS,
  declaredTypeList,
  isAny,
  subschemaList,
  type Combinator,
  type SchemaNode,
  type SchemaObject,
} from './schema-node.js';

interface Group {
  readonly kind: Combinator;
  readonly members: readonly SchemaNode[];
  /** The allOf made of a `$ref` and its siblings: reported at the node's own path. */
  readonly transparent: boolean;
}

function groupPath(path: string, group: Group): string {
  return group.transparent ? path : childPath(path, group.kind);
}

function memberPath(path: string, group: Group, index: number): string {
  return group.transparent ? path : childPath(path, group.kind, index);
}

export function hasCombinator(node: SchemaObject): boolean {
  return COMBINATORS.some((kind) => Array.isArray(node[kind]));
}

/**
 * Compares nodes of which at least one has allOf/anyOf/oneOf. The reader is a conjunction of
 * its own keywords (its "base") and each of its groups; every one of them must accept the data.
 */
export function compareComposites(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const writerGroups = groupsOf(w, ctx.writer.isRefWithSiblings(w));
  const readerBase = baseOf(r);
  const changes: Finding[] = [];
  if (!isAny(readerBase)) changes.push(...baseAccepts(ctx, w, writerGroups, readerBase, path));
  for (const group of groupsOf(r, ctx.reader.isRefWithSiblings(r)))
    changes.push(...groupAccepts(ctx, w, writerGroups, group, path));
  return changes;
}

/** The reader's own keywords must accept the writer's data: via the writer's base or one group. */
function baseAccepts(
  ctx: DiffContext,
  w: SchemaObject,
  writerGroups: readonly Group[],
  readerBase: SchemaObject,
  path: string,
): Finding[] {
  const writerBase = baseOf(w);
  if (writerGroups.length === 0) return compareBases(ctx, writerBase, readerBase, path);
  const attempts: Finding[][] = [];
  if (!isAny(writerBase)) attempts.push(compareBases(ctx, writerBase, readerBase, path));
  for (const group of writerGroups) {
    // Reported at the writer member's position: that is the alternative the reader cannot take.
    const perMember = group.members.map((member, index) =>
      compareSchemas(ctx, member, readerBase, memberPath(path, group, index)),
    );
    // Data of an allOf satisfies every member, so one fitting member is enough; data of an
    // anyOf/oneOf may come from any member, so all must fit.
    attempts.push(
      group.kind === 'allOf'
        ? (perMember.find((c) => c.length === 0) ?? perMember[0] ?? [])
        : perMember.flat(),
    );
  }
  if (attempts.some((attempt) => attempt.length === 0)) return [];
  return attempts[0] ?? [];
}

/** One reader group must accept the writer's data. */
function groupAccepts(
  ctx: DiffContext,
  w: SchemaObject,
  writerGroups: readonly Group[],
  readerGroup: Group,
  path: string,
): Finding[] {
  const same = writerGroups.find((group) => group.kind === readerGroup.kind);
  if (same) return compareGroups(ctx, same, readerGroup, path);
  const [only, ...others] = writerGroups;
  if (only && others.length === 0) return compareChangedCriterion(ctx, only, readerGroup, path);
  if (readerGroup.kind === 'allOf') {
    return readerGroup.members.flatMap((member, index) =>
      compareSchemas(ctx, w, member, memberPath(path, readerGroup, index)),
    );
  }
  return alternativeAccepts(ctx, w, readerGroup, path);
}

/**
 * allOf/oneOf becoming anyOf is fine; anything becoming oneOf or allOf is not (Confluent's
 * rule: their members may overlap or add up differently), except from a single member.
 */
function compareChangedCriterion(
  ctx: DiffContext,
  writerGroup: Group,
  readerGroup: Group,
  path: string,
): Finding[] {
  const allowed =
    readerGroup.kind === 'anyOf' ||
    (readerGroup.kind === 'oneOf' && writerGroup.members.length === 1) ||
    (readerGroup.kind === 'allOf' &&
      writerGroup.members.length === 1 &&
      readerGroup.members.length === 1);
  if (!allowed) {
    const message = `${ctx.roles.writer} combines sub-schemas with ${writerGroup.kind} but ${ctx.roles.reader} with ${readerGroup.kind}`;
    return [ctx.change(groupPath(path, readerGroup), 'combined-type-changed', message)];
  }
  return compareGroups(ctx, writerGroup, readerGroup, path);
}

/**
 * Same-kind groups, as Confluent compares them: anyOf/oneOf may gain members but not lose them,
 * allOf may lose members but not gain them, and members must pair up compatibly (a maximum
 * matching covering the smaller group).
 */
function compareGroups(
  ctx: DiffContext,
  writerGroup: Group,
  readerGroup: Group,
  path: string,
): Finding[] {
  const { reader, writer } = ctx.roles;
  const kind = readerGroup.kind;
  const summaryPath = groupPath(path, readerGroup);
  const writerMembers = distinct(writerGroup.members);
  const readerMembers = distinct(readerGroup.members);
  const changes: Finding[] = [];
  if (kind !== 'allOf' && readerMembers.length < writerMembers.length) {
    const message = `${reader} has ${readerMembers.length} ${kind} alternatives where ${writer} has ${writerMembers.length}`;
    changes.push(ctx.change(summaryPath, 'sum-type-narrowed', message));
  }
  if (kind === 'allOf' && readerMembers.length > writerMembers.length) {
    const message = `${reader} requires ${readerMembers.length} allOf sub-schemas where ${writer} requires ${writerMembers.length}`;
    changes.push(ctx.change(summaryPath, 'product-type-extended', message));
  }
  const outcomes = writerMembers.map((wm) =>
    readerMembers.map((rm) =>
      compareSchemas(ctx, wm.node, rm.node, memberPath(path, readerGroup, rm.index)),
    ),
  );
  const matched = maximumMatching(
    outcomes.map((row) => row.map((changesOfPair) => changesOfPair.length === 0)),
  );
  if (matched.size < Math.min(writerMembers.length, readerMembers.length)) {
    // Explain with the member at the same position, where it exists and is not paired elsewhere.
    const pairedReaders = new Set(matched.values());
    const reasons = writerMembers.flatMap((wm, i) => {
      const j = readerMembers.findIndex((rm) => rm.index === wm.index);
      return !matched.has(i) && j >= 0 && !pairedReaders.has(j) ? (outcomes[i]?.[j] ?? []) : [];
    });
    // A `$ref` with siblings is one schema to the user: its reasons say it all.
    if (!readerGroup.transparent || reasons.length === 0) {
      const unmatched = writerMembers.filter((_, i) => !matched.has(i)).map((wm) => wm.index);
      const message = `${writer}'s ${kind} sub-schema(s) at index ${unmatched.join(', ')} match no sub-schema of ${reader}`;
      changes.push(ctx.change(summaryPath, 'combined-subschemas-changed', message));
    }
    changes.push(...reasons);
  }
  return changes;
}

/** Some anyOf/oneOf alternative must accept the writer's data (each of its types, if several). */
function alternativeAccepts(
  ctx: DiffContext,
  w: SchemaObject,
  readerGroup: Group,
  path: string,
): Finding[] {
  const types = hasCombinator(w) ? [] : declaredTypeList(w);
  const pieces: SchemaObject[] = types.length > 1 ? types.map((type) => ({ ...w, type })) : [w];
  const changes: Finding[] = [];
  for (const piece of pieces) {
    const attempts = readerGroup.members.map((member, index) =>
      compareSchemas(ctx, piece, member, memberPath(path, readerGroup, index)),
    );
    if (attempts.some((attempt) => attempt.length === 0)) continue;
    const closest = attempts.reduce((best, attempt) =>
      attempt.length < best.length ? attempt : best,
    );
    const what = pieces.length > 1 ? `${String(piece['type'])} data` : 'data';
    const message = `no ${readerGroup.kind} alternative of ${ctx.roles.reader} accepts ${ctx.roles.writer}'s ${what}; the closest fails with ${ctx.reason(closest, path)}`;
    changes.push(ctx.change(groupPath(path, readerGroup), 'no-compatible-alternative', message));
  }
  return changes;
}

function groupsOf(node: SchemaObject, refWithSiblings: boolean): Group[] {
  return COMBINATORS.flatMap((kind) => {
    const members = subschemaList(node, kind);
    return members ? [{ kind, members, transparent: refWithSiblings && kind === 'allOf' }] : [];
  });
}

function baseOf(node: SchemaObject): SchemaObject {
  const { allOf: _allOf, anyOf: _anyOf, oneOf: _oneOf, ...base } = node;
  return base;
}

/** Members without duplicates (Confluent collapses them too), keeping their original index. */
function distinct(members: readonly SchemaNode[]): { node: SchemaNode; index: number }[] {
  const kept: { node: SchemaNode; index: number }[] = [];
  members.forEach((node, index) => {
    if (!kept.some((k) => deepEqual(k.node, node))) kept.push({ node, index });
  });
  return kept;
}
