/**
 * The limits of one GraphQL operation and how it is measured against them: cheaply, in time
 * linear in the size of the document, before anything else looks at it.
 */
import {
  GraphQLError,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode } from '../errors.js';

/** What one GraphQL operation may ask for; past a limit it is refused with BAD_USER_INPUT. */
export interface OperationLimits {
  /** Characters of a GraphQL document, checked before it is parsed. @default 100000 */
  readonly maxDocumentChars: number;
  /** Tokens the parser reads before it gives up (graphql-js `maxTokens`). @default 10000 */
  readonly maxTokens: number;
  /**
   * Nesting of field selections, fragments expanded. Introspection counts too: GraphiQL's
   * introspection query is 15 deep, the deepest typed event selection far less.
   * @default 20
   */
  readonly maxDepth: number;
  /** Field selections, fragments expanded (GraphiQL's introspection query selects 229). @default 1000 */
  readonly maxFields: number;
  /** Aliased fields, fragments expanded. @default 50 */
  readonly maxAliases: number;
  /** Directives, fragments expanded. @default 50 */
  readonly maxDirectives: number;
  /**
   * Nesting of JSON values: variables, literals in the document, CloudEvents bodies. Deeper
   * values would overflow the stack of the recursive code that handles them (JSON.stringify
   * among it) long before they could mean anything to a consumer.
   * @default 64
   */
  readonly maxValueDepth: number;
  /**
   * Bytes of the variables of a query or subscription, written as JSON (`MAX_VARIABLES_BYTES`):
   * a subscription keeps them for its whole life. Mutations carry event data instead, which the
   * publish limits bound. @default 262144 (256 KiB)
   */
  readonly maxVariablesBytes: number;
}

export const defaultOperationLimits: OperationLimits = Object.freeze({
  maxDocumentChars: 100_000,
  maxTokens: 10_000,
  maxDepth: 20,
  maxFields: 1000,
  maxAliases: 50,
  maxDirectives: 50,
  maxValueDepth: 64,
  maxVariablesBytes: 256 * 1024,
});

interface SelectionCost {
  depth: number;
  fields: number;
  aliases: number;
  directives: number;
}

/**
 * Measures every operation of the document in one pass and says which limits it exceeds. A
 * fragment is measured once and its cost reused at every spread, so a "fragment bomb" (each
 * fragment spreading the next one many times) takes linear time to measure while its expanded
 * size still counts against the limits.
 */
export function exceededLimits(document: DocumentNode, limits: OperationLimits): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const measured = new Map<string, SelectionCost>();
  const measuring = new Set<string>();

  function fragmentCost(name: string): SelectionCost {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles are reported by the standard rules; here they cost nothing.
    if (!fragment || measuring.has(name)) return { depth: 0, fields: 0, aliases: 0, directives: 0 };
    measuring.add(name);
    const cost = selectionCost(fragment.selectionSet);
    cost.directives += fragment.directives?.length ?? 0;
    measuring.delete(name);
    measured.set(name, cost);
    return cost;
  }

  function selectionCost(selectionSet: SelectionSetNode): SelectionCost {
    const total: SelectionCost = { depth: 0, fields: 0, aliases: 0, directives: 0 };
    const add = (cost: SelectionCost, extraDepth: number) => {
      total.depth = Math.max(total.depth, cost.depth + extraDepth);
      total.fields += cost.fields;
      total.aliases += cost.aliases;
      total.directives += cost.directives;
    };
    for (const selection of selectionSet.selections) {
      total.directives += selection.directives?.length ?? 0;
      switch (selection.kind) {
        case Kind.FIELD:
          total.fields += 1;
          if (selection.alias) total.aliases += 1;
          total.depth = Math.max(total.depth, 1);
          if (selection.selectionSet) add(selectionCost(selection.selectionSet), 1);
          break;
        case Kind.INLINE_FRAGMENT:
          add(selectionCost(selection.selectionSet), 0);
          break;
        case Kind.FRAGMENT_SPREAD:
          add(fragmentCost(selection.name.value), 0);
          break;
      }
    }
    return total;
  }

  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const errors: GraphQLError[] = [];
  const valueDepth = deepestValue(document);
  if (valueDepth > limits.maxValueDepth) {
    errors.push(
      limitError(
        `a value in the document is nested ${valueDepth} levels deep; the limit is ${limits.maxValueDepth}`,
      ),
    );
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const cost = selectionCost(definition.selectionSet);
    cost.directives += definition.directives?.length ?? 0;
    const name = definition.name ? `operation "${definition.name.value}"` : 'the operation';
    const checks: [number, number, string][] = [
      [cost.depth, limits.maxDepth, `is nested ${cost.depth} levels deep`],
      [cost.fields, limits.maxFields, `selects ${cost.fields} fields`],
      [cost.aliases, limits.maxAliases, `uses ${cost.aliases} aliases`],
      [cost.directives, limits.maxDirectives, `uses ${cost.directives} directives`],
    ];
    for (const [value, limit, what] of checks) {
      if (value > limit) {
        errors.push(
          new GraphQLError(`${name} ${what}; the limit is ${limit}`, {
            nodes: definition,
            extensions: badUserInput,
          }),
        );
      }
    }
  }
  return errors;
}

/** Nesting of list and object literals in the document (graphql's visit() is iterative). */
function deepestValue(document: DocumentNode): number {
  let depth = 0;
  let deepest = 0;
  const enter = () => {
    deepest = Math.max(deepest, ++depth);
  };
  const leave = () => {
    depth--;
  };
  visit(document, { ListValue: { enter, leave }, ObjectValue: { enter, leave } });
  return deepest;
}

/** Whether a JSON value nests arrays and objects deeper than `max`; iterative, so any depth is safe. */
export function exceedsValueDepth(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item))
      pending.push([child, depth + 1]);
  }
  return false;
}

export const badUserInput = {
  code: 'BAD_USER_INPUT',
  http: { status: ErrorCode.BAD_USER_INPUT },
} as const;

export function limitError(message: string, node?: ASTNode): GraphQLError {
  return new GraphQLError(message, { ...(node ? { nodes: node } : {}), extensions: badUserInput });
}
