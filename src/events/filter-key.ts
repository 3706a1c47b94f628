import type { EventFilterInput, PredicateInput } from './filter-input.js';
import { givenOperators } from './filter-input.js';
import { canonicalJson, isJsonObject } from './json-value.js';

/**
 * A canonical text of a filter: filters that select the same events get the same key, so
 * subscriptions can share work. Key order, list order of types/ids/predicates and left-out
 * operators do not matter. Combine it with the scope (tenant, allowed types) for a group key.
 */
export function filterKey(filter: EventFilterInput | null | undefined): string {
  if (filter === null || filter === undefined || !isJsonObject(filter)) return '{}';
  const normalized: Record<string, unknown> = {};
  for (const field of ['types', 'resourceTypes', 'actions', 'resourceIds'] as const) {
    const list = filter[field];
    if (Array.isArray(list)) normalized[field] = [...new Set(list)].sort();
  }
  if (Array.isArray(filter.where)) normalized['where'] = sortedPredicates(filter.where);
  if (Array.isArray(filter.any)) {
    normalized['any'] = filter.any
      .map((group) => (Array.isArray(group) ? sortedPredicates(group) : group))
      .sort((a, b) => compareText(canonicalJson(a), canonicalJson(b)));
  }
  return canonicalJson(normalized);
}

function sortedPredicates(predicates: readonly PredicateInput[]): unknown[] {
  return predicates
    .map(normalizePredicate)
    .sort((a, b) => compareText(canonicalJson(a), canonicalJson(b)));
}

function normalizePredicate(predicate: PredicateInput): unknown {
  if (!isJsonObject(predicate)) return predicate;
  const normalized: Record<string, unknown> = { path: predicate.path };
  for (const op of givenOperators(predicate)) normalized[op] = predicate[op];
  return normalized;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
