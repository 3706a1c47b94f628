import {
  Kind,
  getOperationAST,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import type { Principal } from '../auth/grants.js';
import { canonicalJson } from '../canonical-json.js';

/** A subscription that may share its execution with others of the same key. */
export interface SharedOperation {
  /**
   * Equal for operations whose results are equal event by event: the same schema, document,
   * operation name, variables and authorization scope.
   */
  readonly key: string;
}

/**
 * The sharing key of a subscription, or undefined when it must execute alone: anything but a
 * single `events` field. Its start does not matter: a member shares its group's results only
 * for the events it takes in step with the live tail, and reads the others by itself.
 * Incremental delivery (`@defer`, `@stream`) is left alone: sharing relies on one result per
 * event.
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
  const key = [
    schemaId(args.schema),
    scopeOf(principal),
    args.operationName ?? '',
    canonicalJson(args.variableValues ?? {}),
    text,
  ].join('\n');
  return { key };
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
