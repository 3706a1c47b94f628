/**
 * kafkajs's runtime values. kafkajs is CommonJS and its export list ends in a spread, which
 * Node's detection of named exports for ESM importers gives up on, so they come from the default
 * import. Types are imported from 'kafkajs' directly (`import type`).
 */
import kafkajs from 'kafkajs';

export const { Kafka, ConfigResourceTypes, logLevel } = kafkajs;
