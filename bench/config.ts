/** What `npm run bench` measures, from the environment; `BENCH_QUICK=1` makes everything tiny. */
export interface BenchConfig {
  readonly quick: boolean;
  /** Fan-out sizes (`BENCH_SUBSCRIBERS=1,100,1000,10000`). */
  readonly subscribers: readonly number[];
  /** Events published one at a time per size, each awaited by every subscriber (latency). */
  readonly latencyEvents: number;
  /** Events published back to back per size (throughput), by subscriber count. */
  burstEvents(subscribers: number): number;
  /** Events through publishBatch and through kafkajs (`BENCH_PUBLISH`). */
  readonly publishEvents: number;
  readonly publishBatchSize: number;
  /** publishBatch requests (and kafkajs sends) under way at once. */
  readonly publishConcurrency: number;
  /** Single publish mutations timed one after another. */
  readonly singlePublishes: number;
  /** Single publish mutations with `concurrentSingleInFlight` under way at once (throughput). */
  readonly concurrentSingles: number;
  readonly concurrentSingleInFlight: number;
  /** Events replayed from earliest (`BENCH_REPLAY`). */
  readonly replayEvents: number;
  /** Subscribers of the naive baseline and of the gateway compared with it (`BENCH_NAIVE`). */
  readonly naiveSubscribers: number;
  /** Clients of each reconnect storm (`BENCH_RESUME=1000,10000`). */
  readonly resumeClients: readonly number[];
  /** Client processes holding the subscriber sockets. */
  readonly clientWorkers: number;
  /** `BENCH_ONLY=fanout`: the fan-out alone, on the embedded log. */
  readonly fanoutOnly: boolean;
  /** `KAFKA_BROKERS`: use that cluster instead of starting a broker. */
  readonly brokers: readonly string[] | undefined;
}

function numbers(name: string): number[] | undefined {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = value.split(',').map((part) => Number(part.trim()));
  if (parsed.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${name} must be positive integers separated by commas, got "${value}"`);
  }
  return parsed;
}

function number(name: string, fallback: number): number {
  return numbers(name)?.[0] ?? fallback;
}

export function loadBenchConfig(): BenchConfig {
  const quick = process.env['BENCH_QUICK'] === '1';
  const brokers = process.env['KAFKA_BROKERS']
    ?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return {
    quick,
    subscribers: numbers('BENCH_SUBSCRIBERS') ?? (quick ? [1, 5] : [1, 100, 1000, 10_000]),
    latencyEvents: quick ? 3 : 20,
    // Enough deliveries to time (hundreds of thousands at scale), few enough that a
    // subscriber's 1 MiB queue holds the whole burst.
    burstEvents: (n) => (quick ? 10 : Math.max(40, Math.min(1000, Math.round(400_000 / n)))),
    publishEvents: number('BENCH_PUBLISH', quick ? 200 : 20_000),
    publishBatchSize: quick ? 20 : 100,
    publishConcurrency: 4,
    singlePublishes: quick ? 10 : 500,
    concurrentSingles: quick ? 40 : 10_000,
    concurrentSingleInFlight: quick ? 20 : 200,
    replayEvents: number('BENCH_REPLAY', quick ? 300 : 1_000_000),
    naiveSubscribers: number('BENCH_NAIVE', quick ? 3 : 100),
    resumeClients: numbers('BENCH_RESUME') ?? (quick ? [20] : [1000, 10_000]),
    clientWorkers: 2,
    fanoutOnly: process.env['BENCH_ONLY'] === 'fanout',
    brokers: brokers && brokers.length > 0 ? brokers : undefined,
  };
}
