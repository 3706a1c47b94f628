/**
 * kafkajs's runtime values. kafkajs is CommonJS and its export list ends in a spread, which
 * Node's detection of named exports for ESM importers gives up on, so they come from the default
 * import. Types are imported from 'kafkajs' directly (`import type`).
 */
import kafkajs from 'kafkajs';

export const { Kafka, ConfigResourceTypes, logLevel } = kafkajs;

/**
 * Retry options under which kafkajs sends a producer request once and never again, for an
 * idempotent producer. kafkajs refuses `retries: 0` there (its check is `retries < 1`) but asks
 * `retryCount < retries` before each retry: NaN passes the one and fails the other. This leans
 * on kafkajs 2.2.4's producer and retry code; test/unit/kafkajs-no-retries.test.ts fails if a
 * kafkajs release changes either.
 */
export const NO_RETRIES = Object.freeze({ retries: Number.NaN });
