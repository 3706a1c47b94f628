/**
 * Zod schemas for the kinds of value an environment variable holds. Each one explains a bad value
 * in words a user can act on; `EnvReader` prefixes the variable's name. Messages never echo the
 * value of a secret.
 */
import { z } from 'zod';

/** A bad value as an error shows it: quoted (control characters escaped, so one line stays one line) and cut short. */
export function shown(value: unknown): string {
  const text = String(value);
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 61)}...` : text);
}

/** A whole number in [min, max]; digits only, so "4e3", "0x10" and "12.0" are refused. */
export function integer(min: number, max?: number): z.ZodType<number, string> {
  const expected =
    max === undefined
      ? `expected a whole number of at least ${min}`
      : `expected an integer from ${min} to ${max}`;
  return z
    .string()
    .refine(
      (raw) => {
        if (!/^\d{1,15}$/.test(raw)) return false;
        const value = Number(raw);
        return value >= min && (max === undefined || value <= max);
      },
      { error: (issue) => `${expected}, got ${shown(issue.input)}` },
    )
    .transform(Number);
}

/** One of a fixed list, in any case; the result is lower case. */
export function choice<const T extends string>(values: readonly T[]): z.ZodType<T, string> {
  const accepted = new Set<string>(values);
  return z
    .string()
    .refine((raw) => accepted.has(raw.toLowerCase()), {
      error: (issue) => `expected one of ${values.join(', ')}, got ${shown(issue.input)}`,
    })
    .transform((raw) => raw.toLowerCase() as T);
}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/** true/false, also 1/0, yes/no and on/off, in any case. */
export const flag: z.ZodType<boolean, string> = z
  .string()
  .refine((raw) => [...TRUE_WORDS, ...FALSE_WORDS].includes(raw.toLowerCase()), {
    error: (issue) => `expected true or false, got ${shown(issue.input)}`,
  })
  .transform((raw) => TRUE_WORDS.includes(raw.toLowerCase()));

/** Any text. */
export const text: z.ZodType<string, string> = z.string();

/** A secret with a minimum length; the message tells the length, never the value. */
export function secret(minLength: number): z.ZodType<string, string> {
  return z.string().min(minLength, {
    error: (issue) =>
      `must be at least ${minLength} characters long, got ${String(issue.input).length}`,
  });
}

/** A topic-name prefix: Kafka topic names allow only these characters. */
export const topicPrefix: z.ZodType<string, string> = z.string().regex(/^[A-Za-z0-9._-]*$/, {
  error: (issue) => `expected only letters, digits, '.', '_' and '-', got ${shown(issue.input)}`,
});

/** A name that may appear in a Kafka id (an instance's transactional id): non-empty, no spaces. */
export const instanceName: z.ZodType<string, string> = z.string().regex(/^[A-Za-z0-9._-]+$/, {
  error: (issue) => `expected only letters, digits, '.', '_' and '-', got ${shown(issue.input)}`,
});
