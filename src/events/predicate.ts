/**
 * Compiles one `Predicate` into a test on an event payload. Everything that does not depend on
 * the event (path segments, operand kind, Sets for `in`, the instant of a date-time operand) is
 * worked out here, once per subscription.
 *
 * Semantics, beyond shared/API.md:
 * - A path that does not resolve gives "missing": `ne`, `notIn` and `exists: false` hold for it,
 *   every other operator fails. JSON null is a value, not missing.
 * - `gt`/`gte`/`lt`/`lte` compare numbers with numbers and strings with strings (code-unit order).
 *   When the operand is an RFC 3339 date-time they compare instants, so offsets and fractional
 *   seconds order correctly (as text, "…T10:00:00Z" sorts after "…T10:00:00.5Z", and
 *   "…T12:00:00+01:00" after "…T11:30:00Z"); an event value that is not a date-time then
 *   fails. Other pairs fail.
 * - `contains`: an array holds an element deep-equal to the operand; a string holds the operand
 *   string; an object holds the operand object as a subset (recursively for nested objects).
 */
import { gatewayError } from '../errors.js';
import type { FilterLimits, PredicateInput, PredicateOperator } from './filter-input.js';
import { givenOperators } from './filter-input.js';
import { isJsonObject, jsonEqual, jsonObjectHolds } from './json-value.js';
import { parseRfc3339 } from './rfc3339.js';

export type PayloadTest = (payload: unknown) => boolean;
type ValueTest = (value: unknown) => boolean;

/** Compiles `predicate`; `where` names it in errors (e.g. "filter.where[2]"). */
export function compilePredicate(
  predicate: PredicateInput,
  where: string,
  limits: Readonly<Required<FilterLimits>>,
): PayloadTest {
  const fail = (message: string, extensions: Record<string, unknown> = {}): never => {
    throw gatewayError('BAD_USER_INPUT', `${where}: ${message}`, {
      argument: where,
      ...extensions,
    });
  };
  if (!isJsonObject(predicate)) return fail('a predicate must be an object');
  const path = predicate.path;
  if (typeof path !== 'string' || path === '') return fail('path must be a non-empty dotted path');
  const keys = path.split('.');
  if (keys.some((key) => key === '')) return fail(`path "${path}" has an empty segment`);
  if (keys.length > limits.maxPathDepth) {
    return fail(
      `path "${path}" has ${keys.length} segments; the limit is ${limits.maxPathDepth} (maxPathDepth)`,
      {
        limit: 'maxPathDepth',
      },
    );
  }
  const operators = givenOperators(predicate);
  if (operators.length !== 1) {
    const how =
      operators.length === 0 ? 'no operator' : `several operators (${operators.join(', ')})`;
    return fail(
      `the predicate on "${path}" has ${how}; give exactly one of eq, ne, in, notIn, gt, gte, lt, lte, prefix, contains, exists`,
    );
  }
  const operator = operators[0]!;
  const test = compileOperator(operator, predicate[operator], limits, (message, extensions) =>
    fail(`${operator} on "${path}" ${message}`, extensions),
  );
  const resolve = compilePath(keys);
  return (payload) => test(resolve(payload));
}

type Fail = (message: string, extensions?: Record<string, unknown>) => never;

function compileOperator(
  operator: PredicateOperator,
  operand: unknown,
  limits: Readonly<Required<FilterLimits>>,
  fail: Fail,
): ValueTest {
  switch (operator) {
    case 'eq':
      return equalTo(operand);
    case 'ne': {
      const equal = equalTo(operand);
      return (value) => !equal(value);
    }
    case 'in':
      return memberOf(operand, limits, fail);
    case 'notIn': {
      const member = memberOf(operand, limits, fail);
      return (value) => !member(value);
    }
    case 'gt':
      return ordered(operand, fail, (c) => c > 0);
    case 'gte':
      return ordered(operand, fail, (c) => c >= 0);
    case 'lt':
      return ordered(operand, fail, (c) => c < 0);
    case 'lte':
      return ordered(operand, fail, (c) => c <= 0);
    case 'prefix': {
      if (typeof operand !== 'string') return fail('needs a string');
      return (value) => typeof value === 'string' && value.startsWith(operand);
    }
    case 'contains':
      return containing(operand);
    case 'exists': {
      if (typeof operand !== 'boolean') return fail('needs true or false');
      return operand ? (value) => value !== undefined : (value) => value === undefined;
    }
  }
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function equalTo(operand: unknown): ValueTest {
  // undefined (missing) is never === a JSON operand, so "missing" fails eq and passes ne.
  if (isPrimitive(operand)) return (value) => value === operand;
  return (value) => jsonEqual(value, operand);
}

function memberOf(
  operand: unknown,
  limits: Readonly<Required<FilterLimits>>,
  fail: Fail,
): ValueTest {
  if (!Array.isArray(operand)) return fail('needs a list');
  if (operand.length > limits.maxInValues) {
    return fail(`has ${operand.length} values; the limit is ${limits.maxInValues} (maxInValues)`, {
      limit: 'maxInValues',
    });
  }
  const primitives = new Set(operand.filter(isPrimitive));
  const composites = operand.filter((item) => !isPrimitive(item));
  if (composites.length === 0) return (value) => value !== undefined && primitives.has(value);
  return (value) => {
    if (value === undefined) return false;
    if (isPrimitive(value)) return primitives.has(value);
    for (const item of composites) if (jsonEqual(value, item)) return true;
    return false;
  };
}

function ordered(operand: unknown, fail: Fail, holds: (comparison: number) => boolean): ValueTest {
  if (typeof operand === 'number') {
    return (value) => typeof value === 'number' && holds(value - operand);
  }
  if (typeof operand !== 'string') return fail('compares numbers or strings only');
  const instant = parseRfc3339(operand);
  if (instant !== undefined) {
    return (value) => {
      if (typeof value !== 'string') return false;
      const valueInstant = parseRfc3339(value);
      return valueInstant !== undefined && holds(valueInstant - instant);
    };
  }
  return (value) =>
    typeof value === 'string' && holds(value < operand ? -1 : value > operand ? 1 : 0);
}

function containing(operand: unknown): ValueTest {
  const inArray: (items: readonly unknown[]) => boolean = isPrimitive(operand)
    ? (items) => items.includes(operand)
    : (items) => {
        for (const item of items) if (jsonEqual(item, operand)) return true;
        return false;
      };
  const inString: (text: string) => boolean =
    typeof operand === 'string' ? (text) => text.includes(operand) : () => false;
  const inObject: (object: Record<string, unknown>) => boolean = isJsonObject(operand)
    ? (object) => jsonObjectHolds(object, operand)
    : () => false;
  return (value) => {
    if (Array.isArray(value)) return inArray(value);
    if (typeof value === 'string') return inString(value);
    if (isJsonObject(value)) return inObject(value);
    return false;
  };
}

/** A resolver of pre-split path segments; numeric segments index arrays, others read own keys. */
function compilePath(keys: readonly string[]): (payload: unknown) => unknown {
  const indexes = keys.map((key) => (/^(?:0|[1-9]\d*)$/.test(key) ? Number(key) : -1));
  return (payload) => {
    let current: unknown = payload;
    for (let i = 0; i < keys.length; i++) {
      if (typeof current !== 'object' || current === null) return undefined;
      if (Array.isArray(current)) {
        const index = indexes[i]!;
        if (index === -1 || index >= current.length) return undefined;
        current = current[index];
      } else {
        const key = keys[i]!;
        if (!Object.hasOwn(current, key)) return undefined;
        current = (current as Record<string, unknown>)[key];
      }
    }
    return current;
  };
}
