/** String enums → GraphQL enum types, keeping which JSON string each value stands for. */
import { isGraphqlEnumValueName, NameClaims, sanitizeGraphqlName } from './graphql-names.js';
import type { GqlEnumModel, GqlEnumValue } from './model-types.js';

/**
 * The enum type for `values`, in their order. A value that is a valid name keeps it as is (the
 * GraphQL output then reads like the JSON, and a filter on the JSON value needs no translation);
 * the others are sanitized (`heroku-24` → `heroku_24`, `true` → `true_`) and made unique.
 * Undefined when a value has nothing to make a name of (`''`, `'-'`): the caller uses String.
 */
export function buildEnum(
  name: string,
  values: readonly string[],
  description?: string,
): GqlEnumModel | undefined {
  const unique = [...new Set(values)];
  const claims = new NameClaims();
  const names = new Map<string, string>();
  for (const value of unique)
    if (isGraphqlEnumValueName(value)) names.set(value, claims.claim(value));
  for (const value of unique) {
    if (names.has(value)) continue;
    const sanitized = sanitizeGraphqlName(value);
    if (sanitized === undefined) return undefined;
    const base = isGraphqlEnumValueName(sanitized) ? sanitized : `${sanitized}_`;
    names.set(value, claims.claim(base, { separator: '_' }));
  }
  const enumValues: GqlEnumValue[] = unique.map((value) => ({ name: names.get(value)!, value }));
  return { name, values: enumValues, ...(description ? { description } : {}) };
}
