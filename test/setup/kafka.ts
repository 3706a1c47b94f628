/**
 * Vitest global setup: one Kafka broker for the whole test run.
 *
 * - `KAFKA_BROKERS=host:port,...` set: use that cluster (e.g. one from `npm run kafka`).
 * - `STREAMGATE_NO_KAFKA=1`: start nothing; Kafka tests then fail saying so.
 * - otherwise: start a single-node broker from the cached jars (downloaded on the first run)
 *   and stop it, deleting its data, when the run ends.
 *
 * A failure here does not stop the run: unit tests still run, and every Kafka test fails with
 * the one-line reason from `kafkaBrokers()` (test/support/kafka.ts). Never a silent skip.
 */
import type { TestProject } from 'vitest/node';
import { KafkaSetupError } from '../../scripts/kafka/kafka-setup-error.js';
import { startKafka } from '../../scripts/kafka/start-kafka.js';
import type {} from './provided-context.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const fromEnv = (process.env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (fromEnv.length > 0) {
    project.provide('kafkaBrokers', fromEnv);
    project.provide('kafkaUnavailable', '');
    return;
  }
  if (process.env['STREAMGATE_NO_KAFKA'] === '1') {
    project.provide('kafkaBrokers', []);
    project.provide(
      'kafkaUnavailable',
      'STREAMGATE_NO_KAFKA=1 is set, so no test broker was started (unset it, or set KAFKA_BROKERS)',
    );
    return;
  }
  try {
    const broker = await startKafka();
    project.provide('kafkaBrokers', broker.brokers);
    project.provide('kafkaUnavailable', '');
    return () => broker.close();
  } catch (error) {
    const reason =
      error instanceof KafkaSetupError
        ? error.message
        : `the Kafka test broker could not be started: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`\n[kafka] ${reason}\n`);
    if (error instanceof KafkaSetupError && error.details) {
      process.stderr.write(`${error.details}\n\n`);
    }
    project.provide('kafkaBrokers', []);
    project.provide('kafkaUnavailable', reason);
  }
}
