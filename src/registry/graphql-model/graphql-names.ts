/** GraphQL name rules (spec §2.1.9) and the sanitizing that makes JSON names fit them. */

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A name GraphQL accepts for a type, field or enum value; `__` is kept for introspection. */
export function isGraphqlName(value: string): boolean {
  return NAME.test(value) && !value.startsWith('__');
}

/** Enum values may not be `true`, `false` or `null` (they would read as literals). */
export function isGraphqlEnumValueName(value: string): boolean {
  return isGraphqlName(value) && value !== 'true' && value !== 'false' && value !== 'null';
}

/**
 * The closest valid name to `value`: other characters become `_`, a leading digit gets a `_`
 * before it, and a leading `__` shrinks to one. Undefined when nothing of `value` would be left
 * but underscores, as a name made only of placeholders would tell the reader nothing.
 */
export function sanitizeGraphqlName(value: string): string | undefined {
  if (!/[0-9A-Za-z]/.test(value)) return undefined;
  let name = value.replace(/[^_0-9A-Za-z]/g, '_');
  if (/^[0-9]/.test(name)) name = `_${name}`;
  return name.replace(/^_{2,}/, '_');
}

/** `created_at` → `CreatedAt`, `region-name` → `RegionName`, `webURL` → `WebURL`. */
export function pascalCase(value: string): string {
  return value
    .split(/[^0-9A-Za-z]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * Hands out unique names: a taken name gets the first free numeric suffix (`Region2`). Valid
 * names are claimed before sanitized ones by the callers, so a well-named JSON property or value
 * keeps its own name whatever else the schema holds.
 */
export class NameClaims {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }

  /** Claims `base`, or `${base}${separator}2`, `…3`, … with every one of `companions` free as well. */
  claim(base: string, { separator = '', companions = [] as readonly string[] } = {}): string {
    for (let n = 1; ; n++) {
      const name = n === 1 ? base : `${base}${separator}${n}`;
      const all = [name, ...companions.map((suffix) => name + suffix)];
      if (all.every((candidate) => !this.taken.has(candidate))) {
        for (const candidate of all) this.taken.add(candidate);
        return name;
      }
    }
  }
}
