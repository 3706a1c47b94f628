import type { SubscriptionScope } from '../auth/token-session.js';
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/**
 * What a subscription operation reads: the `streams` argument of its root field and the types
 * of its `filter`, with its variables applied. Undefined for other operations, or when it cannot
 * be told (a root field behind a fragment, invalid variables): execution then reports those
 * problems itself.
 */
export function subscriptionScope(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): SubscriptionScope | undefined {
  const operation = getOperationAST(document, operationName);
  const subscriptionType = schema.getSubscriptionType();
  if (operation?.operation !== 'subscription' || !subscriptionType) return undefined;
  const [selection] = operation.selectionSet.selections;
  if (selection?.kind !== Kind.FIELD) return undefined;
  const field = subscriptionType.getFields()[selection.name.value];
  if (!field) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return undefined;
  try {
    const args = getArgumentValues(field, selection, coerced.coerced);
    const streams = args['streams'];
    if (!isStringList(streams)) return undefined;
    const types = (args['filter'] as { types?: unknown } | null | undefined)?.types;
    return isStringList(types) ? { streams, types } : { streams };
  } catch {
    return undefined;
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
