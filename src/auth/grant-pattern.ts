/**
 * Name patterns of grants: an exact name (`orders`), or a prefix ending in '*' (`team-a.*`,
 * `app.*`, or `*` for every name). The same rules serve stream names and event types.
 */

/** Longer than any Kafka topic name (249) or sensible event type. */
export const MAX_PATTERN_LENGTH = 255;

/** Why `pattern` is not a valid pattern, or undefined when it is. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  if (pattern.indexOf('*') !== -1 && pattern.indexOf('*') !== pattern.length - 1) {
    return "may contain '*' only as its last character";
  }
  if (/[\s\p{Cc}]/u.test(pattern)) return 'must not contain white space or control characters';
  return undefined;
}

function isPrefix(pattern: string): boolean {
  return pattern.endsWith('*');
}

/** True when the concrete `name` matches `pattern`. */
export function patternMatches(pattern: string, name: string): boolean {
  return isPrefix(pattern) ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/**
 * True when every name `inner` matches is also matched by `outer`: 'team-a.*' covers 'team-a.x'
 * and 'team-a.sub*' but not 'team-*'; an exact name covers only itself.
 */
export function patternWithin(inner: string, outer: string): boolean {
  if (!isPrefix(outer)) return inner === outer;
  const innerPrefix = isPrefix(inner) ? inner.slice(0, -1) : inner;
  return innerPrefix.startsWith(outer.slice(0, -1));
}
