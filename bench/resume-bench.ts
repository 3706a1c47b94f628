import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchConfig } from './config.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./resume-storm.ts', import.meta.url));

/**
 * The reconnect-storm scenario of `npm run bench`: resume-storm.ts in a process of its own (its
 * gateway, client processes and, on Kafka, broker), once on the embedded log and once on Kafka.
 * Kafka is a broker with Kafka's production defaults started for it (`group.initial.rebalance
 * .delay.ms` 3 s among them), or the cluster of KAFKA_BROKERS when given; in quick mode the
 * run's broker.
 */
export async function measureResume(
  config: BenchConfig,
  runBrokers: readonly string[] | undefined,
  log: (line: string) => void,
): Promise<{ embedded: unknown; kafka: unknown }> {
  const storm = async (env: Record<string, string | undefined>) => {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      BENCH_STORM: config.resumeClients.join(','),
    };
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete childEnv[name];
      else childEnv[name] = value;
    }
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      env: childEnv,
      maxBuffer: 16 << 20,
    });
    return JSON.parse(stdout) as unknown;
  };
  log(`reconnect storm of ${config.resumeClients.join(', ')} clients, embedded log`);
  const embedded = await storm({ BENCH_LOG: 'embedded', KAFKA_BROKERS: undefined });
  const brokers = config.brokers ?? (config.quick ? runBrokers : undefined);
  log(
    `reconnect storm on ${brokers ? `Kafka at ${brokers.join(',')}` : "Kafka with Kafka's production defaults"}`,
  );
  const kafka = await storm({ BENCH_LOG: 'kafka', KAFKA_BROKERS: brokers?.join(',') });
  return { embedded, kafka };
}
