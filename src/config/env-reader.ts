import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config-error.js';

/**
 * Reads variables one at a time and collects every problem, so one start-up reports all bad
 * settings at once instead of one per attempt.
 *
 * Values are trimmed, and a blank value counts as unset (`KAFKA_BROKERS=` in a compose file
 * means "no brokers"). `KAFKA_SASL_PASSWORD` alone is kept as given: a password is opaque.
 */
export class EnvReader {
  private readonly issues: ConfigIssue[] = [];
  private readonly ignored = new Set<string>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined || value.trim() === '') return undefined;
    return name === 'KAFKA_SASL_PASSWORD' ? value : value.trim();
  }

  isSet(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  /** The parsed value; the fallback when unset. A bad value is recorded and gives the fallback. */
  read<T>(name: string, schema: z.ZodType<T, string>): T | undefined;
  read<T>(name: string, schema: z.ZodType<T, string>, fallback: T): T;
  read<T>(name: string, schema: z.ZodType<T, string>, fallback?: T): T | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    for (const issue of result.error.issues) this.fail(name, issue.message);
    return fallback;
  }

  fail(variable: string, problem: string): void {
    this.issues.push({ variable, problem });
  }

  /** Notes which of these variables are set although the other settings make them moot. */
  ignore(...names: string[]): void {
    for (const name of names) if (this.isSet(name)) this.ignored.add(name);
  }

  ignoredVariables(): string[] {
    return [...this.ignored];
  }

  /** Throws one ConfigError listing every problem met. */
  throwIfInvalid(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues);
  }
}
