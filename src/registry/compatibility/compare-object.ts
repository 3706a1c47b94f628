import { compareSchemas } from './compare-schema.js';
import {
  compareContentModels,
  extraPropertiesKeyword,
  extraPropertiesModel,
  undeclaredPropertyModel,
} from './content-model.js';
import { childPath, type DiffContext, type Finding } from './diff-context.js';
import { compareCountLimit } from './limits.js';
import {
  isAny,
  isNone,
  isSchemaObject,
  requiredSet,
  subschema,
  subschemaMap,
  type SchemaNode,
  type SchemaObject,
} from './schema-node.js';

/** Object keywords, with Confluent's content-model rules for added and removed properties. */
export function compareObjects(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const writerProps = subschemaMap(w, 'properties');
  const readerProps = subschemaMap(r, 'properties');
  const changes: Finding[] = [];
  for (const key of new Set([...writerProps.keys(), ...readerProps.keys()])) {
    const at = childPath(path, 'properties', key);
    const writerProp = writerProps.get(key);
    const readerProp = readerProps.get(key);
    if (writerProp !== undefined && readerProp !== undefined)
      changes.push(...compareSchemas(ctx, writerProp, readerProp, at));
    else if (writerProp !== undefined)
      changes.push(...propertyRemoved(ctx, key, writerProp, r, at));
    else if (readerProp !== undefined)
      changes.push(...propertyAdded(ctx, key, readerProp, w, r, at));
  }
  changes.push(
    ...compareRequired(ctx, w, r, path, writerProps, readerProps),
    ...compareExtraProperties(ctx, w, r, path),
    ...comparePatternProperties(ctx, w, r, path),
    ...compareCountLimit(ctx, w, r, path, 'maxProperties'),
    ...compareCountLimit(ctx, w, r, path, 'minProperties'),
    ...compareDependencies(ctx, w, r, path),
    ...comparePropertyNames(ctx, w, r, path),
  );
  return changes;
}

/** The writer has `key`, the reader does not declare it: the reader's content model decides. */
function propertyRemoved(
  ctx: DiffContext,
  key: string,
  writerProp: SchemaNode,
  r: SchemaObject,
  at: string,
): Finding[] {
  const { reader, writer } = ctx.roles;
  const model = undeclaredPropertyModel(ctx.reader, r, key);
  if (model.kind === 'open' || isNone(ctx.writer.deref(writerProp))) return [];
  if (model.kind === 'closed') {
    const message = `property "${key}" is missing from ${reader}, whose content model is closed, so it rejects data written with ${writer} that has it`;
    return [ctx.change(at, 'property-removed-from-closed-content-model', message)];
  }
  const reasons = compareSchemas(ctx, writerProp, model.schema, at);
  if (reasons.length === 0) return [];
  const message = `property "${key}" is missing from ${reader} and its partially open content model does not accept ${writer}'s "${key}" (${ctx.reason(reasons, at)})`;
  return [ctx.change(at, 'property-removed-not-covered-by-partially-open-content-model', message)];
}

/** The reader declares `key`, the writer does not: the writer's content model decides. */
function propertyAdded(
  ctx: DiffContext,
  key: string,
  readerProp: SchemaNode,
  w: SchemaObject,
  r: SchemaObject,
  at: string,
): Finding[] {
  const { reader, writer } = ctx.roles;
  const model = undeclaredPropertyModel(ctx.writer, w, key);
  const mustExist =
    requiredSet(r).has(key) && !requiredSet(w).has(key) && !hasDefault(ctx, readerProp);
  if (model.kind === 'open') {
    if (isAny(ctx.reader.deref(readerProp))) {
      if (!mustExist) return [];
      return [
        ctx.change(
          at,
          'required-added',
          `${reader} requires "${key}", which data written with ${writer} may lack`,
        ),
      ];
    }
    const message = `${reader} declares property "${key}", which ${writer} does not, and ${writer}'s open content model lets its data carry "${key}" with any value`;
    const change = mustExist
      ? 'required-property-added-to-open-content-model'
      : 'property-added-to-open-content-model';
    return [ctx.change(at, change, message)];
  }
  const changes: Finding[] = [];
  if (model.kind === 'partial') {
    const reasons = compareSchemas(ctx, model.schema, readerProp, at);
    if (reasons.length > 0) {
      const message = `${reader} declares property "${key}", which ${writer} does not, and ${writer}'s partially open content model allows "${key}" with values ${reader} rejects (${ctx.reason(reasons, at)})`;
      changes.push(
        ctx.change(at, 'property-added-not-covered-by-partially-open-content-model', message),
      );
    }
  }
  if (mustExist) {
    const message = `${reader} requires "${key}" without a default, but ${writer} does not declare it, so its data never has it`;
    changes.push(ctx.change(at, 'required-property-added-to-unopen-content-model', message));
  }
  return changes;
}

/**
 * Newly required properties that both declare (or neither does) break old data, unless the
 * reader gives a default (Confluent's rule). Properties only the reader declares are judged in
 * `propertyAdded`.
 */
function compareRequired(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
  writerProps: ReadonlyMap<string, SchemaNode>,
  readerProps: ReadonlyMap<string, SchemaNode>,
): Finding[] {
  const writerRequired = requiredSet(w);
  const changes: Finding[] = [];
  for (const key of requiredSet(r)) {
    if (writerRequired.has(key)) continue;
    const readerProp = readerProps.get(key);
    if (readerProp !== undefined && !writerProps.has(key)) continue;
    if (readerProp !== undefined && hasDefault(ctx, readerProp)) continue;
    const message = `${ctx.roles.reader} requires "${key}", which ${ctx.roles.writer} leaves optional`;
    changes.push(ctx.change(childPath(path, 'properties', key), 'required-added', message));
  }
  return changes;
}

function hasDefault(ctx: DiffContext, node: SchemaNode): boolean {
  const resolved = ctx.reader.deref(node);
  return isSchemaObject(resolved) && 'default' in resolved;
}

/** additionalProperties (or unevaluatedProperties): the reader may open it, not close or narrow it. */
function compareExtraProperties(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const writerModel = extraPropertiesModel(ctx.writer, w);
  const readerModel = extraPropertiesModel(ctx.reader, r);
  const keyword =
    subschema(r, extraPropertiesKeyword(r)) === undefined
      ? extraPropertiesKeyword(w)
      : extraPropertiesKeyword(r);
  return compareContentModels(
    ctx,
    writerModel,
    readerModel,
    childPath(path, keyword),
    'additional-properties',
    'properties',
  );
}

/** patternProperties: same patterns compare; new or dropped ones meet the other's extras model. */
function comparePatternProperties(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const writerPatterns = subschemaMap(w, 'patternProperties');
  const readerPatterns = subschemaMap(r, 'patternProperties');
  const changes: Finding[] = [];
  for (const [pattern, readerSchema] of readerPatterns) {
    const at = childPath(path, 'patternProperties', pattern);
    const writerSchema = writerPatterns.get(pattern);
    if (writerSchema !== undefined) {
      changes.push(...compareSchemas(ctx, writerSchema, readerSchema, at));
      continue;
    }
    const writerModel = extraPropertiesModel(ctx.writer, w);
    const reasons =
      writerModel.kind === 'closed'
        ? []
        : compareSchemas(
            ctx,
            writerModel.kind === 'open' ? true : writerModel.schema,
            readerSchema,
            at,
          );
    if (reasons.length > 0) {
      const message = `${ctx.roles.reader} has patternProperties ${JSON.stringify(pattern)}, which ${ctx.roles.writer} does not, and ${ctx.roles.writer} allows such properties with values it rejects (${ctx.reason(reasons, at)})`;
      changes.push(ctx.change(at, 'pattern-property-added', message));
    }
  }
  for (const [pattern, writerSchema] of writerPatterns) {
    if (readerPatterns.has(pattern)) continue;
    const at = childPath(path, 'patternProperties', pattern);
    const readerModel = extraPropertiesModel(ctx.reader, r);
    if (readerModel.kind === 'open') continue;
    const reasons = compareSchemas(
      ctx,
      writerSchema,
      readerModel.kind === 'closed' ? false : readerModel.schema,
      at,
    );
    if (reasons.length > 0) {
      const message = `${ctx.roles.reader} drops patternProperties ${JSON.stringify(pattern)} and does not accept such properties written with ${ctx.roles.writer}`;
      changes.push(ctx.change(at, 'pattern-property-removed', message));
    }
  }
  return changes;
}

/** dependentRequired/dependentSchemas (draft-07 `dependencies`): the reader may drop, not add. */
function compareDependencies(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const { reader, writer } = ctx.roles;
  const writerDeps = dependencies(w);
  const readerDeps = dependencies(r);
  const writerRequired = requiredSet(w);
  const changes: Finding[] = [];
  for (const [key, names] of readerDeps.required) {
    const known = writerDeps.required.get(key);
    const missing = names.filter((name) => !known?.includes(name) && !writerRequired.has(name));
    if (missing.length === 0) continue;
    const at = childPath(path, 'dependencies' in r ? 'dependencies' : 'dependentRequired', key);
    const message = `${reader} requires ${missing.map((n) => `"${n}"`).join(', ')} whenever "${key}" is present, which ${writer} does not`;
    changes.push(
      ctx.change(at, known ? 'dependent-required-extended' : 'dependent-required-added', message),
    );
  }
  for (const [key, readerSchema] of readerDeps.schemas) {
    const at = childPath(path, 'dependencies' in r ? 'dependencies' : 'dependentSchemas', key);
    const writerSchema = writerDeps.schemas.get(key);
    if (writerSchema !== undefined)
      changes.push(...compareSchemas(ctx, writerSchema, readerSchema, at));
    else if (!isAny(ctx.reader.deref(readerSchema))) {
      changes.push(
        ctx.change(
          at,
          'dependent-schema-added',
          `${reader} has a schema that applies when "${key}" is present, which ${writer} does not have`,
        ),
      );
    }
  }
  return changes;
}

function dependencies(node: SchemaObject): {
  required: Map<string, string[]>;
  schemas: Map<string, SchemaNode>;
} {
  const required = new Map<string, string[]>();
  const schemas = new Map<string, SchemaNode>();
  const add = (key: string, value: unknown): void => {
    if (Array.isArray(value))
      required.set(
        key,
        value.filter((v): v is string => typeof v === 'string'),
      );
    else if (typeof value === 'boolean' || isSchemaObject(value)) schemas.set(key, value);
  };
  for (const keyword of ['dependencies', 'dependentRequired', 'dependentSchemas']) {
    const value = node[keyword];
    if (isSchemaObject(value)) for (const [key, dep] of Object.entries(value)) add(key, dep);
  }
  return { required, schemas };
}

function comparePropertyNames(
  ctx: DiffContext,
  w: SchemaObject,
  r: SchemaObject,
  path: string,
): Finding[] {
  const readerNames = subschema(r, 'propertyNames');
  if (readerNames === undefined) return [];
  const at = childPath(path, 'propertyNames');
  const writerNames = subschema(w, 'propertyNames');
  if (writerNames !== undefined) return compareSchemas(ctx, writerNames, readerNames, at);
  if (isAny(ctx.reader.deref(readerNames))) return [];
  return [
    ctx.change(
      at,
      'property-names-added',
      `${ctx.roles.reader} restricts property names, which ${ctx.roles.writer} does not`,
    ),
  ];
}
