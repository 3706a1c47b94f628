import { compareSchemas } from './compare-schema.js';
import { compareContentModels, contentModelOf } from './content-model.js';
import { childPath, type DiffContext, type Finding } from './diff-context.js';
import { compareCountLimit } from './limits.js';
import {
  isAny,
  isNone,
  subschema,
  subschemaList,
  type SchemaNode,
  type SchemaObject,
} from './schema-node.js';

/** Tuple positions and what applies after them, read from either draft's spelling. */
interface ItemsModel {
  readonly prefix: readonly SchemaNode[];
  readonly prefixKeyword: 'prefixItems' | 'items';
  readonly rest: SchemaNode | undefined;
  readonly restKeyword: string;
}

function itemsModel(node: SchemaObject): ItemsModel {
  const unevaluated = subschema(node, 'unevaluatedItems');
  const prefixItems = subschemaList(node, 'prefixItems'); // 2020-12 tuples
  if (prefixItems) {
    const items = subschema(node, 'items');
    return {
      prefix: prefixItems,
      prefixKeyword: 'prefixItems',
      rest: items ?? unevaluated,
      restKeyword: items === undefined && unevaluated !== undefined ? 'unevaluatedItems' : 'items',
    };
  }
  const tuple = subschemaList(node, 'items'); // draft-07 tuples
  if (tuple) {
    const additional = subschema(node, 'additionalItems');
    return {
      prefix: tuple,
      prefixKeyword: 'items',
      rest: additional ?? unevaluated,
      restKeyword:
        additional === undefined && unevaluated !== undefined
          ? 'unevaluatedItems'
          : 'additionalItems',
    };
  }
  const items = subschema(node, 'items');
  return {
    prefix: [],
    prefixKeyword: 'prefixItems',
    rest: items ?? unevaluated,
    restKeyword: items === undefined && unevaluated !== undefined ? 'unevaluatedItems' : 'items',
  };
}

/** Array keywords, with Confluent's content-model rules for tuple positions added or removed. */
export function compareArrays(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const writer = itemsModel(w);
  const reader = itemsModel(r);
  const tuples = writer.prefix.length > 0 || reader.prefix.length > 0;
  const prefixKeyword = reader.prefix.length > 0 ? reader.prefixKeyword : writer.prefixKeyword;
  const changes: Finding[] = [];
  const longest = Math.max(writer.prefix.length, reader.prefix.length);
  for (let index = 0; index < longest; index++) {
    const at = childPath(path, prefixKeyword, index);
    const writerItem = writer.prefix[index];
    const readerItem = reader.prefix[index];
    if (writerItem !== undefined && readerItem !== undefined)
      changes.push(...compareSchemas(ctx, writerItem, readerItem, at));
    else if (writerItem !== undefined)
      changes.push(...itemRemoved(ctx, writerItem, reader.rest, at));
    else if (readerItem !== undefined) changes.push(...itemAdded(ctx, readerItem, writer.rest, at));
  }
  const restPath = childPath(
    path,
    subschema(r, reader.restKeyword) !== undefined ? reader.restKeyword : writer.restKeyword,
  );
  if (tuples) {
    const writerModel = contentModelOf(ctx.writer, writer.rest);
    const readerModel = contentModelOf(ctx.reader, reader.rest);
    changes.push(
      ...compareContentModels(ctx, writerModel, readerModel, restPath, 'additional-items', 'items'),
    );
  } else {
    changes.push(...compareSchemas(ctx, writer.rest ?? true, reader.rest ?? true, restPath));
  }
  changes.push(
    ...compareCountLimit(ctx, w, r, path, 'maxItems'),
    ...compareCountLimit(ctx, w, r, path, 'minItems'),
    ...compareUniqueItems(ctx, w, r, path),
    ...compareContains(ctx, w, r, path),
  );
  return changes;
}

/** A writer tuple position the reader does not declare: the reader's rest decides. */
function itemRemoved(
  ctx: DiffContext,
  writerItem: SchemaNode,
  readerRest: SchemaNode | undefined,
  at: string,
): Finding[] {
  const model = contentModelOf(ctx.reader, readerRest);
  if (model.kind === 'open' || isNone(ctx.writer.deref(writerItem))) return [];
  const { reader, writer } = ctx.roles;
  if (model.kind === 'closed') {
    const message = `${reader} has fewer tuple items and a closed content model, so it rejects arrays written with ${writer} that fill this position`;
    return [ctx.change(at, 'item-removed-from-closed-content-model', message)];
  }
  const reasons = compareSchemas(ctx, writerItem, model.schema, at);
  if (reasons.length === 0) return [];
  const message = `${reader} has fewer tuple items and its schema for further items does not accept this item written with ${writer} (${ctx.reason(reasons, at)})`;
  return [ctx.change(at, 'item-removed-not-covered-by-partially-open-content-model', message)];
}

/** A reader tuple position the writer does not declare: the writer's rest decides. */
function itemAdded(
  ctx: DiffContext,
  readerItem: SchemaNode,
  writerRest: SchemaNode | undefined,
  at: string,
): Finding[] {
  const model = contentModelOf(ctx.writer, writerRest);
  if (model.kind === 'closed') return [];
  const { reader, writer } = ctx.roles;
  if (model.kind === 'open') {
    if (isAny(ctx.reader.deref(readerItem))) return [];
    const message = `${reader} declares a tuple item here that ${writer} does not, and ${writer}'s open content model lets its arrays hold anything here`;
    return [ctx.change(at, 'item-added-to-open-content-model', message)];
  }
  const reasons = compareSchemas(ctx, model.schema, readerItem, at);
  if (reasons.length === 0) return [];
  const message = `${reader} declares a tuple item here that ${writer} does not, and ${writer}'s schema for further items allows values it rejects (${ctx.reason(reasons, at)})`;
  return [ctx.change(at, 'item-added-not-covered-by-partially-open-content-model', message)];
}

function compareUniqueItems(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  if (r['uniqueItems'] !== true || w['uniqueItems'] === true) return [];
  const message = `${ctx.roles.reader} requires unique items, which ${ctx.roles.writer} does not`;
  return [ctx.change(childPath(path, 'uniqueItems'), 'unique-items-added', message)];
}

function compareContains(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const readerContains = subschema(r, 'contains');
  if (readerContains === undefined) return [];
  const writerContains = subschema(w, 'contains');
  const at = childPath(path, 'contains');
  if (writerContains === undefined) {
    if (r['minContains'] === 0) return [];
    return [
      ctx.change(
        at,
        'contains-added',
        `${ctx.roles.reader} requires an item matching "contains", which ${ctx.roles.writer} does not`,
      ),
    ];
  }
  return [
    ...compareSchemas(ctx, writerContains, readerContains, at),
    ...compareCountLimit(ctx, w, r, path, 'minContains', 1),
    ...compareCountLimit(ctx, w, r, path, 'maxContains'),
  ];
}
