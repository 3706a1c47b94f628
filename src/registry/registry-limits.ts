/**
 * Limits on what one registration may cost every instance: the schema's size (bytes, declared
 * properties, nesting) and the registry's (event types per stream and in all). Refused with
 * BAD_USER_INPUT at registration, before the schema is compiled or written to the log.
 */
import { gatewayError } from '../errors.js';
import type { RegistryState } from './registry-state.js';

export interface RegistryLimits {
  /** `GATEWAY_MAX_SCHEMA_BYTES`: the largest JSON Schema, as JSON. @default 65536 (64 KiB) */
  readonly maxSchemaBytes: number;
  /**
   * `GATEWAY_MAX_SCHEMA_PROPERTIES`: properties declared in one schema, nested objects and
   * definitions included. @default 500
   */
  readonly maxSchemaProperties: number;
  /** `GATEWAY_MAX_SCHEMA_DEPTH`: nesting of the schema document (objects and arrays). @default 32 */
  readonly maxSchemaDepth: number;
  /** `GATEWAY_MAX_EVENT_TYPES_PER_STREAM`. @default 1000 */
  readonly maxEventTypesPerStream: number;
  /** `GATEWAY_MAX_EVENT_TYPES`: event types in the whole registry. @default 10000 */
  readonly maxEventTypes: number;
}

export const defaultRegistryLimits: RegistryLimits = Object.freeze({
  maxSchemaBytes: 64 * 1024,
  maxSchemaProperties: 500,
  maxSchemaDepth: 32,
  maxEventTypesPerStream: 1000,
  maxEventTypes: 10_000,
});

/** Throws BAD_USER_INPUT when `schema` is over a size limit; walks it at most once, stopping early. */
export function assertSchemaWithinLimits(schema: unknown, limits: RegistryLimits): void {
  const bytes = Buffer.byteLength(JSON.stringify(schema) ?? '');
  if (bytes > limits.maxSchemaBytes) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `the schema is ${bytes} bytes, over the limit of ${limits.maxSchemaBytes}`,
      { limit: 'maxSchemaBytes', value: bytes },
    );
  }
  let properties = 0;
  // Iterative, so a deep document cannot overflow the stack before its depth is refused.
  const stack: { value: unknown; depth: number }[] = [{ value: schema, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limits.maxSchemaDepth) {
      throw gatewayError(
        'BAD_USER_INPUT',
        `the schema is nested more than ${limits.maxSchemaDepth} levels deep`,
        { limit: 'maxSchemaDepth' },
      );
    }
    const children = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value)) {
      const declared = (value as Record<string, unknown>)['properties'];
      if (typeof declared === 'object' && declared !== null && !Array.isArray(declared)) {
        properties += Object.keys(declared).length;
        if (properties > limits.maxSchemaProperties) {
          throw gatewayError(
            'BAD_USER_INPUT',
            `the schema declares more than ${limits.maxSchemaProperties} properties`,
            { limit: 'maxSchemaProperties' },
          );
        }
      }
    }
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
}

/** Throws BAD_USER_INPUT when one more event type on `stream` would be over a registry limit. */
export function assertRoomForEventType(
  state: RegistryState,
  stream: string,
  limits: RegistryLimits,
): void {
  if (state.eventTypes.size >= limits.maxEventTypes) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `the registry holds ${state.eventTypes.size} event types, the limit; delete unused ones first`,
      { limit: 'maxEventTypes' },
    );
  }
  let onStream = 0;
  for (const eventType of state.eventTypes.values()) if (eventType.stream === stream) onStream++;
  if (onStream >= limits.maxEventTypesPerStream) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `stream "${stream}" holds ${onStream} event types, the limit; delete unused ones first`,
      { limit: 'maxEventTypesPerStream' },
    );
  }
}
