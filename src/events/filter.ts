/**
 * Compiles a subscription's `EventFilter` and its token's scope into one test per event, run
 * before any GraphQL execution. Compiled once per subscription, so testing an event only reads
 * it: paths are split, lists are Sets, operands are classified beforehand.
 *
 * The tenant scope is applied outside whatever the filter compiles to, so no filter can widen it.
 * Empty lists in `types`, `resourceTypes`, `actions`, `resourceIds` or `any` (and an empty `any`
 * group) are refused instead of silently matching nothing or everything; omit them instead.
 */
import type { StoredEvent } from './envelope.js';
import { gatewayError } from '../errors.js';
import type { EventFilterInput, FilterLimits, FilterScope } from './filter-input.js';
import { resolveFilterLimits } from './filter-input.js';
import { isJsonObject } from './json-value.js';
import { exceedsJsonBytes } from './json-size.js';
import { compilePredicate, type PayloadTest } from './predicate.js';

export type EventTest = (event: StoredEvent) => boolean;

export type {
  EventFilterInput,
  FilterLimits,
  FilterScope,
  PredicateInput,
} from './filter-input.js';
export { DEFAULT_FILTER_LIMITS } from './filter-input.js';
export { filterKey } from './filter-key.js';

/** Throws BAD_USER_INPUT naming the offending part or limit. */
export function compileFilter(
  filter: EventFilterInput | null | undefined,
  scope: FilterScope,
  limits?: FilterLimits,
): EventTest {
  const matches = compileFilterOnly(filter ?? {}, scope, resolveFilterLimits(limits));
  const tenant = scope.tenant;
  if (tenant === null || tenant === undefined) return matches;
  return (event) => event.tenant === tenant && matches(event);
}

function compileFilterOnly(
  filter: EventFilterInput,
  scope: FilterScope,
  limits: Readonly<Required<FilterLimits>>,
): EventTest {
  if (!isJsonObject(filter)) throw badFilter('filter', 'the filter must be an object');
  // First, before any operand is looked at or kept.
  if (exceedsJsonBytes(filter, limits.maxFilterBytes)) {
    throw overLimit(
      'filter',
      `the filter is over ${limits.maxFilterBytes} bytes of JSON`,
      'maxFilterBytes',
      limits.maxFilterBytes,
    );
  }
  const tests: EventTest[] = [];
  if (scope.allowedTypes !== undefined) {
    const allowed = typeMatcher(scope.allowedTypes, 'scope.allowedTypes', true);
    tests.push((event) => allowed(event.type));
  }
  const types = listOf(filter, 'types', limits);
  if (types !== undefined) {
    const matchesType = typeMatcher(types, 'filter.types', false);
    tests.push((event) => matchesType(event.type));
  }
  const resourceTypes = listOf(filter, 'resourceTypes', limits);
  if (resourceTypes !== undefined) {
    const set = new Set(resourceTypes);
    tests.push((event) => set.has(event.resourceType));
  }
  const actions = listOf(filter, 'actions', limits);
  if (actions !== undefined) {
    const set = new Set(actions);
    tests.push((event) => set.has(event.action));
  }
  const resourceIds = listOf(filter, 'resourceIds', limits);
  if (resourceIds !== undefined) {
    const set = new Set(resourceIds);
    tests.push((event) => event.resourceId !== null && set.has(event.resourceId));
  }
  const payloadTest = compilePayloadTests(filter, limits);
  if (payloadTest !== undefined) tests.push((event) => payloadTest(event.payload));
  return allOf(tests);
}

function compilePayloadTests(
  filter: EventFilterInput,
  limits: Readonly<Required<FilterLimits>>,
): PayloadTest | undefined {
  const where = filter.where ?? undefined;
  const any = filter.any ?? undefined;
  if (where !== undefined && !Array.isArray(where as unknown))
    throw badFilter('filter.where', 'filter.where must be a list');
  if (any !== undefined && !Array.isArray(any as unknown))
    throw badFilter('filter.any', 'filter.any must be a list');
  if (any !== undefined) {
    if (any.length === 0)
      throw badFilter('filter.any', 'filter.any is empty; omit it to match every event');
    if (any.length > limits.maxAnyGroups) {
      throw overLimit(
        'filter.any',
        `filter.any has ${any.length} groups`,
        'maxAnyGroups',
        limits.maxAnyGroups,
      );
    }
    any.forEach((group, i) => {
      if (!Array.isArray(group as unknown) || group.length === 0) {
        throw badFilter(
          `filter.any[${i}]`,
          `filter.any[${i}] must be a non-empty list of predicates`,
        );
      }
    });
  }
  const total = (where?.length ?? 0) + (any ?? []).reduce((sum, group) => sum + group.length, 0);
  if (total > limits.maxPredicates) {
    throw overLimit(
      'filter',
      `the filter has ${total} predicates`,
      'maxPredicates',
      limits.maxPredicates,
    );
  }
  const tests: PayloadTest[] = [];
  if (where !== undefined)
    tests.push(allOf(where.map((p, i) => compilePredicate(p, `filter.where[${i}]`, limits))));
  if (any !== undefined) {
    const groups = any.map((group, g) =>
      allOf(group.map((p, i) => compilePredicate(p, `filter.any[${g}][${i}]`, limits))),
    );
    tests.push((payload) => {
      for (const group of groups) if (group(payload)) return true;
      return false;
    });
  }
  return tests.length === 0 ? undefined : allOf(tests);
}

/** The test of an empty filter: one function for all, not one per subscription. */
const always = () => true;

function allOf<T>(tests: readonly ((value: T) => boolean)[]): (value: T) => boolean {
  if (tests.length === 0) return always;
  if (tests.length === 1) return tests[0]!;
  return (value) => {
    for (const test of tests) if (!test(value)) return false;
    return true;
  };
}

type ListField = 'types' | 'resourceTypes' | 'actions' | 'resourceIds';

function listOf(
  filter: EventFilterInput,
  field: ListField,
  limits: Readonly<Required<FilterLimits>>,
): readonly string[] | undefined {
  const list = filter[field];
  if (list === undefined || list === null) return undefined;
  const argument = `filter.${field}`;
  if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string' || entry === '')) {
    throw badFilter(argument, `${argument} must be a list of non-empty strings`);
  }
  if (list.length === 0)
    throw badFilter(argument, `${argument} is empty; omit it to match every event`);
  if (list.length > limits.maxListEntries) {
    throw overLimit(
      argument,
      `${argument} has ${list.length} entries`,
      'maxListEntries',
      limits.maxListEntries,
    );
  }
  return list;
}

/** Exact names, or prefixes ending in '*' ('*' alone matches every type). */
function typeMatcher(
  patterns: readonly string[],
  argument: string,
  fromScope: boolean,
): (type: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const pattern of patterns) {
    const star = pattern.indexOf('*');
    if (star === -1) exact.add(pattern);
    else if (star === pattern.length - 1) prefixes.push(pattern.slice(0, -1));
    else if (fromScope) throw new Error(`${argument}: bad type pattern "${pattern}"`);
    else
      throw badFilter(argument, `${argument}: "${pattern}" may have '*' only at its end ("app.*")`);
  }
  if (prefixes.includes('')) return () => true;
  if (prefixes.length === 0) return (type) => exact.has(type);
  return (type) => {
    if (exact.has(type)) return true;
    for (const prefix of prefixes) if (type.startsWith(prefix)) return true;
    return false;
  };
}

function badFilter(argument: string, message: string) {
  return gatewayError('BAD_USER_INPUT', message, { argument });
}

function overLimit(argument: string, what: string, limit: keyof FilterLimits, max: number) {
  return gatewayError('BAD_USER_INPUT', `${what}; the limit is ${max} (${limit})`, {
    argument,
    limit,
    max,
  });
}
