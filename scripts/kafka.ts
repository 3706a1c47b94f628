/**
 * `npm run kafka`: a single-node Kafka broker in the foreground, for running the gateway
 * against real Kafka by hand. Prints the bootstrap address; Ctrl-C (or SIGTERM) stops it and
 * deletes its data. `KAFKA_PORT` picks a fixed client port (default: a free one).
 * `--production-defaults` (or `KAFKA_PRODUCTION_DEFAULTS=1`) runs with Kafka's own group and
 * internal-topic defaults instead of the fast test settings.
 */
import { KafkaSetupError } from './kafka/kafka-setup-error.js';
import type { BrokerDefaults } from './kafka/server-properties.js';
import { startKafka } from './kafka/start-kafka.js';

function portFromEnv(): number {
  const raw = process.env['KAFKA_PORT'];
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`KAFKA_PORT must be a port number (1-65535), got "${raw}"`);
  }
  return port;
}

function defaultsFromArgs(args: readonly string[]): BrokerDefaults {
  for (const arg of args) {
    if (arg !== '--production-defaults') throw new Error(`unknown option "${arg}"`);
  }
  const env = process.env['KAFKA_PRODUCTION_DEFAULTS'];
  const fromEnv = env !== undefined && env !== '' && env !== '0' && env !== 'false';
  return args.includes('--production-defaults') || fromEnv ? 'production' : 'test';
}

async function main(): Promise<void> {
  const defaults = defaultsFromArgs(process.argv.slice(2));
  const broker = await startKafka({ port: portFromEnv(), defaults });
  process.stdout.write(
    `Kafka ${broker.version} is up (${defaults} defaults).\n\n  KAFKA_BROKERS=${broker.brokers.join(',')}\n\n` +
      `Broker log: ${broker.logFile}\nPress Ctrl-C to stop (the data is deleted).\n`,
  );

  let stopping = false;
  const shutDown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`kafka: ${signal}, stopping the broker...\n`);
    broker.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`kafka: stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);
  process.on('SIGHUP', shutDown);
  void broker.exited().then(async (how) => {
    if (stopping) return;
    process.stderr.write(`kafka: the broker stopped by itself (${how}); see ${broker.logFile}\n`);
    await broker.close();
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`kafka: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof KafkaSetupError && error.details) process.stderr.write(`${error.details}\n`);
  process.exit(1);
});
