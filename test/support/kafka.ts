import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type {} from '../setup/provided-context.js';

export { startKafka } from '../../scripts/kafka/start-kafka.js';
export type { KafkaBroker, StartKafkaOptions } from '../../scripts/kafka/start-kafka.js';

/**
 * The bootstrap addresses of the run's Kafka broker (see test/setup/kafka.ts). Throws one line
 * saying why when there is none, so a Kafka test fails instead of skipping silently.
 */
export function kafkaBrokers(): string[] {
  const brokers = inject('kafkaBrokers');
  if (brokers !== undefined && brokers.length > 0) return [...brokers];
  const reason =
    inject('kafkaUnavailable') ||
    'the Kafka global setup did not run (run tests through vitest.config.ts: `npm test` or `npx vitest run <file>`)';
  throw new Error(`No Kafka broker for this test: ${reason}`);
}

/**
 * A fresh topic name: `<prefix>-<time>-<random>`, legal for Kafka (letters, digits, '-'),
 * so tests never see each other's records, on a shared broker or across runs.
 */
export function uniqueTopic(prefix = 'test'): string {
  const safe = prefix.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 180);
  return `${safe}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
