/** The `EventFilter` and `Predicate` GraphQL inputs (shared/API.md), their limits and scope. */

/**
 * One test on the payload: exactly one operator besides `path`. GraphQL hands an operator the
 * client left out as undefined. An explicit null counts as given for `eq`, `ne` and `contains`
 * (it compares with JSON null) and as left out for the others, where null means nothing.
 */
export interface PredicateInput {
  /** Dotted path into the payload; a numeric segment indexes an array ("tags.0"). */
  readonly path: string;
  readonly eq?: unknown;
  readonly ne?: unknown;
  readonly in?: readonly unknown[] | null;
  readonly notIn?: readonly unknown[] | null;
  readonly gt?: unknown;
  readonly gte?: unknown;
  readonly lt?: unknown;
  readonly lte?: unknown;
  readonly prefix?: string | null;
  readonly contains?: unknown;
  readonly exists?: boolean | null;
}

export const PREDICATE_OPERATORS = [
  'eq',
  'ne',
  'in',
  'notIn',
  'gt',
  'gte',
  'lt',
  'lte',
  'prefix',
  'contains',
  'exists',
] as const;
export type PredicateOperator = (typeof PREDICATE_OPERATORS)[number];

/** Operators whose operand may be JSON null. */
export const NULL_COMPARING_OPERATORS: ReadonlySet<PredicateOperator> = new Set([
  'eq',
  'ne',
  'contains',
]);

/** All given parts must hold. A null or absent part does not constrain. */
export interface EventFilterInput {
  /** Exact types, or prefixes ending in '*' ("app.*"). */
  readonly types?: readonly string[] | null;
  readonly resourceTypes?: readonly string[] | null;
  readonly actions?: readonly string[] | null;
  readonly resourceIds?: readonly string[] | null;
  /** All must hold. */
  readonly where?: readonly PredicateInput[] | null;
  /** At least one group must hold in full. */
  readonly any?: readonly (readonly PredicateInput[])[] | null;
}

/** What the subscriber's token lets it see, ANDed into every filter by the server. */
export interface FilterScope {
  /** A public token's tenant: only events of this tenant pass. Null: no tenant restriction. */
  readonly tenant: string | null;
  /** Type patterns (exact or 'prefix*') the token may read. @default undefined (every type) */
  readonly allowedTypes?: readonly string[] | undefined;
}

export interface FilterLimits {
  /** Predicates in `where` and in all `any` groups together. @default 20 */
  readonly maxPredicates?: number;
  /** Values in one `in` or `notIn`. @default 100 */
  readonly maxInValues?: number;
  /** Segments of one predicate path. @default 8 */
  readonly maxPathDepth?: number;
  /** Entries in each of `types`, `resourceTypes`, `actions`, `resourceIds`. @default 50 */
  readonly maxListEntries?: number;
  /** Groups in `any`. @default 10 */
  readonly maxAnyGroups?: number;
  /**
   * The whole filter written as JSON, operands included (`MAX_FILTER_BYTES`): a subscription
   * keeps its filter for its whole life. @default 65536 (64 KiB)
   */
  readonly maxFilterBytes?: number;
}

export const DEFAULT_FILTER_LIMITS: Readonly<Required<FilterLimits>> = {
  maxPredicates: 20,
  maxInValues: 100,
  maxPathDepth: 8,
  maxListEntries: 50,
  maxAnyGroups: 10,
  maxFilterBytes: 64 * 1024,
};

export function resolveFilterLimits(
  limits: FilterLimits | undefined,
): Readonly<Required<FilterLimits>> {
  return {
    maxPredicates: limits?.maxPredicates ?? DEFAULT_FILTER_LIMITS.maxPredicates,
    maxInValues: limits?.maxInValues ?? DEFAULT_FILTER_LIMITS.maxInValues,
    maxPathDepth: limits?.maxPathDepth ?? DEFAULT_FILTER_LIMITS.maxPathDepth,
    maxListEntries: limits?.maxListEntries ?? DEFAULT_FILTER_LIMITS.maxListEntries,
    maxAnyGroups: limits?.maxAnyGroups ?? DEFAULT_FILTER_LIMITS.maxAnyGroups,
    maxFilterBytes: limits?.maxFilterBytes ?? DEFAULT_FILTER_LIMITS.maxFilterBytes,
  };
}

/** The operators a predicate gives (see PredicateInput on null). */
export function givenOperators(predicate: PredicateInput): PredicateOperator[] {
  return PREDICATE_OPERATORS.filter((op) => {
    const operand = predicate[op];
    return operand !== undefined && (operand !== null || NULL_COMPARING_OPERATORS.has(op));
  });
}
