import {
  Kind,
  getOperationAST,
  print,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type GraphQLSchema,
} from 'graphql';
import type { Principal } from '../auth/grants.js';
import { canonicalJson } from '../canonical-json.js';

/** The root `events` field of an operation: errors are placed there, as execution places them. */
export interface RootField {
  readonly node: FieldNode;
  /** Its response name (the alias, if any). */
  readonly responseName: string;
}

/** A subscription that may share its execution with others of the same key. */
export interface SharedOperation {
  /**
   * Equal for operations whose results are equal event by event: the same schema, document,
   * operation name, variables and authorization scope.
   */
  readonly key: string;
  readonly field: RootField;
}

/**
 * The sharing key of a subscription, or undefined when it must execute alone: anything but a
 * single `events` field starting at the live tail (no `from`, or `from: { latest: true }`).
 * Other starts are each subscription's own history, so there is nothing to share. Incremental
 * delivery (`@defer`, `@stream`) is left alone too: sharing relies on one result per event.
 */
export function describeSharedOperation(
  args: ExecutionArgs,
  principal: Principal,
): SharedOperation | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'subscription') return undefined;
  const selections = operation.selectionSet.selections;
  const field = selections[0];
  if (selections.length !== 1 || field?.kind !== Kind.FIELD || field.name.value !== 'events') {
    return undefined;
  }
  const text = documentText(args.document);
  if (text.includes('@defer') || text.includes('@stream')) return undefined;
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  const from = field.arguments?.find((argument) => argument.name.value === 'from');
  if (from && !startsAtLatest(valueFromASTUntyped(from.value, variables))) return undefined;
  const key = [
    schemaId(args.schema),
    scopeOf(principal),
    args.operationName ?? '',
    canonicalJson(variables),
    text,
  ].join('\n');
  return { key, field: { node: field, responseName: field.alias?.value ?? field.name.value } };
}

/** The same test as the start resolution: no start given, or `latest` and nothing else. */
function startsAtLatest(from: unknown): boolean {
  if (from == null) return true;
  if (typeof from !== 'object') return false;
  const given = Object.entries(from).filter(([, value]) => value != null && value !== false);
  return given.length === 0 || (given.length === 1 && given[0]![0] === 'latest');
}

const schemaIds = new WeakMap<GraphQLSchema, number>();
let nextSchemaId = 1;

/** An open subscription keeps the schema it started on, so a rebuilt schema starts new groups. */
function schemaId(schema: GraphQLSchema): number {
  let id = schemaIds.get(schema);
  if (id === undefined) schemaIds.set(schema, (id = nextSchemaId++));
  return id;
}

const scopes = new WeakMap<Principal, string>();

/**
 * What decides which events a subscription may see: admin, or tenant and grants. Tokens with the
 * same scope share; revocation and expiry are handled per member, never per group.
 */
function scopeOf(principal: Principal): string {
  let scope = scopes.get(principal);
  if (scope === undefined) {
    scope = principal.admin
      ? 'admin'
      : canonicalJson({ tenant: principal.tenant, grants: principal.grants });
    scopes.set(principal, scope);
  }
  return scope;
}

const printed = new WeakMap<DocumentNode, string>();

/** The request's own text when the parser kept it (Yoga's does), else the printed document. */
function documentText(document: DocumentNode): string {
  const body = document.loc?.source.body;
  if (body !== undefined) return body;
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}
