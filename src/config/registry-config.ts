import type { EnvReader } from './env-reader.js';
import { integer, secret } from './env-values.js';

/**
 * Registry limits set in the environment; unset ones keep the registry's defaults
 * (`defaultRegistryLimits` in src/registry/registry-limits.ts, which documents each).
 */
export interface RegistryLimitSettings {
  /** `GATEWAY_MAX_SCHEMA_BYTES` */
  readonly maxSchemaBytes?: number;
  /** `GATEWAY_MAX_SCHEMA_PROPERTIES` */
  readonly maxSchemaProperties?: number;
  /** `GATEWAY_MAX_SCHEMA_DEPTH` */
  readonly maxSchemaDepth?: number;
  /** `GATEWAY_MAX_EVENT_TYPES_PER_STREAM` */
  readonly maxEventTypesPerStream?: number;
  /** `GATEWAY_MAX_EVENT_TYPES` */
  readonly maxEventTypes?: number;
}

const VARIABLES = {
  maxSchemaBytes: 'GATEWAY_MAX_SCHEMA_BYTES',
  maxSchemaProperties: 'GATEWAY_MAX_SCHEMA_PROPERTIES',
  maxSchemaDepth: 'GATEWAY_MAX_SCHEMA_DEPTH',
  maxEventTypesPerStream: 'GATEWAY_MAX_EVENT_TYPES_PER_STREAM',
  maxEventTypes: 'GATEWAY_MAX_EVENT_TYPES',
} as const;

export function readRegistryLimits(reader: EnvReader): RegistryLimitSettings {
  const settings: Record<string, number> = {};
  for (const [field, variable] of Object.entries(VARIABLES)) {
    const value = reader.read(variable, integer(1));
    if (value !== undefined) settings[field] = value;
  }
  return settings;
}

/** The shortest metrics token accepted: shorter ones are guessable. */
const MIN_METRICS_TOKEN_LENGTH = 16;

/** `GATEWAY_METRICS_TOKEN`: a bearer token that may read /metrics (the admin token always may). */
export function readMetricsToken(reader: EnvReader): string | undefined {
  return reader.read('GATEWAY_METRICS_TOKEN', secret(MIN_METRICS_TOKEN_LENGTH));
}
