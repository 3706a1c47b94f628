import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { compileLinearRegex } from './linear-regex.js';

// Ajv ships CommonJS with `exports.default`; createRequire keeps the types and the runtime honest.
const require = createRequire(import.meta.url);
const Ajv2020 = (require('ajv/dist/2020') as typeof import('ajv/dist/2020.js')).default;
const AjvDraft7 = (require('ajv') as typeof import('ajv')).default;
const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;

export type JsonSchema = Record<string, unknown> | boolean;

/** One failing place in validated data, as VALIDATION_FAILED lists them. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

export type DataValidator = (data: unknown) => ValidationIssue[];

const DRAFT7 = /draft-0[467]\/schema/;

// `code` names the engine in standalone code, which the gateway never generates.
const linearRegExpEngine = Object.assign((pattern: string) => compileLinearRegex(pattern), {
  code: 'compileLinearRegex',
});

function createAjv<T extends typeof AjvDraft7 | typeof Ajv2020>(Ctor: T): InstanceType<T> {
  // strict off: teams register schemas written for other tools, with keywords Ajv does not know.
  // `pattern` and `patternProperties` run on a linear-time engine (linear-regex.ts); the regular
  // expressions of `format` are Ajv's own, written not to backtrack.
  const ajv = new Ctor({
    allErrors: true,
    strict: false,
    validateFormats: true,
    logger: false,
    code: { regExp: linearRegExpEngine },
  });
  addFormats(ajv as never);
  return ajv as InstanceType<T>;
}

const ajv2020 = createAjv(Ajv2020);
const ajv7 = createAjv(AjvDraft7);

/**
 * Compiles a JSON Schema (draft 2020-12 unless `$schema` names draft-07 or earlier) into a
 * validator. Throws an Error describing why the schema itself is invalid.
 */
export function compileDataValidator(schema: JsonSchema): DataValidator {
  const { validate } = compile(schema);
  return (data) => (validate(data) ? [] : toIssues(validate.errors ?? []));
}

/**
 * Throws like compileDataValidator when `schema` does not compile, and keeps nothing of it: for
 * a registration's check (schema-check.ts), whose validator is compiled where events are
 * validated.
 */
export function assertSchemaCompiles(schema: JsonSchema): void {
  const { ajv, local } = compile(schema);
  // Ajv keeps every schema it compiled, by identity; this one is never asked for again.
  if (typeof local === 'object') ajv.removeSchema(local);
}

function compile(schema: JsonSchema): {
  validate: ValidateFunction;
  ajv: typeof ajv2020 | typeof ajv7;
  local: JsonSchema;
} {
  if (
    typeof schema !== 'boolean' &&
    (schema === null || typeof schema !== 'object' || Array.isArray(schema))
  ) {
    throw new Error('a schema must be a JSON object or a boolean');
  }
  const dialect = typeof schema === 'object' ? schema['$schema'] : undefined;
  const ajv = typeof dialect === 'string' && DRAFT7.test(dialect) ? ajv7 : ajv2020;
  // $id would make Ajv cache the schema globally and refuse a second version with the same id.
  const local = typeof schema === 'object' ? withoutId(schema) : schema;
  try {
    return { validate: ajv.compile(local), ajv, local };
  } catch (error) {
    throw new Error(`invalid JSON Schema: ${(error as Error).message}`);
  }
}

function withoutId(schema: Record<string, unknown>): Record<string, unknown> {
  if (!('$id' in schema)) return schema;
  const { $id: _ignored, ...rest } = schema;
  return rest;
}

function toIssues(errors: readonly ErrorObject[]): ValidationIssue[] {
  return errors.map((error) => {
    let path = error.instancePath || '/';
    if (error.keyword === 'required') {
      path = `${error.instancePath}/${String(error.params['missingProperty'])}`;
    } else if (error.keyword === 'additionalProperties') {
      path = `${error.instancePath}/${String(error.params['additionalProperty'])}`;
    }
    return { path, message: error.message ?? error.keyword };
  });
}
