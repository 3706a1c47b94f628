import { RE2JS } from 're2js';

/** What schema validation needs of a compiled pattern: an unanchored search, as `RegExp.test`. */
export interface LinearRegex {
  test(text: string): boolean;
}

/**
 * Compiles a JSON Schema `pattern` (ECMA-262 syntax) for an engine whose matching time is linear
 * in the input (RE2, pure JavaScript), so that no registered pattern can stall the event loop on
 * what a publisher sends (`^(a+)+$` against "aaaa…!" takes seconds with backtracking).
 * Lookaround and backreferences have no linear-time algorithm: such patterns are refused with
 * an Error saying so, at registration.
 */
export function compileLinearRegex(pattern: string): LinearRegex {
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (error) {
    const shown = pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern;
    throw new Error(
      `pattern ${JSON.stringify(shown)} is not supported: ${(error as Error).message} ` +
        '(patterns run on a linear-time engine, RE2: no lookaround, no backreferences, repeat counts up to 1000)',
    );
  }
}
