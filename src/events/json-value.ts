/** Comparisons of JSON values for filters: deep equality, containment, a canonical text form. */

export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values: arrays in order, objects whatever their key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!Object.hasOwn(b, key) || !jsonEqual((a as JsonObject)[key], (b as JsonObject)[key]))
      return false;
  }
  return true;
}

/**
 * Whether object `value` holds every member of `subset`: nested objects match recursively as
 * subsets, anything else must be deep-equal (so `{a: {b: 1}}` holds `{a: {}}` but
 * `{tags: [1, 2]}` does not hold `{tags: [1]}`).
 */
export function jsonObjectHolds(value: JsonObject, subset: JsonObject): boolean {
  for (const key of Object.keys(subset)) {
    if (!Object.hasOwn(value, key)) return false;
    const inner = value[key];
    const wanted = subset[key];
    const holds =
      isJsonObject(inner) && isJsonObject(wanted)
        ? jsonObjectHolds(inner, wanted)
        : jsonEqual(inner, wanted);
    if (!holds) return false;
  }
  return true;
}

/** JSON text with object keys sorted at every depth, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (isJsonObject(value)) {
    const members = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
