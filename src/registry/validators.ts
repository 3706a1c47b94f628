import { gatewayError } from '../errors.js';
import type { EventTypeDef } from './registry-state.js';
import { compileDataValidator, type DataValidator } from './schema-validator.js';

/**
 * Compiled validators, one per event type version, compiled on first use and kept: a schema
 * version never changes once registered.
 */
export class ValidatorCache {
  private readonly compiled = new Map<string, DataValidator>();

  /** The validator of the type's latest version, and that version. */
  latest(eventType: EventTypeDef): { version: number; validate: DataValidator } {
    const latest = eventType.versions[eventType.versions.length - 1]!;
    const key = `${eventType.type}@${latest.version}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      try {
        validate = compileDataValidator(latest.schema);
      } catch (error) {
        // A version registered before patterns ran on a linear-time engine may use lookaround:
        // it is refused rather than run with backtracking.
        throw gatewayError(
          'BAD_USER_INPUT',
          `event type "${eventType.type}" version ${latest.version} cannot be validated (${(error as Error).message}); register a new version`,
        );
      }
      this.compiled.set(key, validate);
    }
    return { version: latest.version, validate };
  }
}
