/**
 * The benchmark harness works: `npm run bench` in quick mode (tiny sizes, on the run's broker)
 * prints one JSON report with every figure it promises. Only the report's shape is asserted,
 * never a timing: the machine is shared.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { kafkaBrokers } from '../support/kafka.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

const percentiles = {
  p50: expect.any(Number),
  p99: expect.any(Number),
  max: expect.any(Number),
  samples: expect.any(Number),
};
const fanoutFigures = (subscribers: number) => ({
  subscribers,
  connected: subscribers,
  latencyMs: { ...percentiles, samples: subscribers * 3 },
  burst: {
    events: 10,
    deliveries: subscribers * 10,
    complete: true,
    deliveriesPerSecond: expect.any(Number),
    latencyMs: percentiles,
    serverCpuPercent: expect.any(Number),
    serverCpuMicrosecondsPerDelivery: expect.any(Number),
    clientCpuPercent: expect.any(Number),
    serverPeakRssMb: expect.any(Number),
  },
  serverRssMb: { before: expect.any(Number), idle: expect.any(Number) },
  bytesPerIdleSubscription: expect.any(Number),
  errors: [],
});
const startup = (subscribers: number) => ({
  subscribers,
  live: subscribers,
  consumerGroups: expect.any(Number),
  timeToFirstEventMs: { ...percentiles, samples: subscribers },
  rssMb: { before: expect.any(Number), connected: expect.any(Number) },
});

test('npm run bench in quick mode prints the whole report', { timeout: 240_000 }, async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/index.ts'], {
    cwd: root,
    env: {
      ...process.env,
      BENCH_QUICK: '1',
      BENCH_SUBSCRIBERS: '1,4',
      BENCH_REPLAY: '150',
      BENCH_NAIVE: '2',
      KAFKA_BROKERS: kafkaBrokers().join(','),
    },
    maxBuffer: 16 << 20,
  });
  const report = JSON.parse(stdout);
  expect(report.fanout).toEqual([
    { subscribers: 1, gateway: fanoutFigures(1), raw: fanoutFigures(1), ratio: expect.any(Number) },
    { subscribers: 4, gateway: fanoutFigures(4), raw: fanoutFigures(4), ratio: expect.any(Number) },
  ]);
  expect(report.idleMemory).toEqual({
    subscribers: 4,
    rssBeforeMb: expect.any(Number),
    rssIdleMb: expect.any(Number),
    bytesPerSubscription: expect.any(Number),
    heapBytesPerSubscription: expect.any(Number),
  });
  // The registry reader and one tail reader, whatever the number of subscribers.
  expect(report.consumerGroups).toMatchObject({ subscribers: 4, active: expect.any(Number) });
  expect(report.publish).toEqual({
    events: 200,
    batchSize: 20,
    concurrency: 4,
    publishBatchEventsPerSecond: expect.any(Number),
    kafkajsEventsPerSecond: expect.any(Number),
    ratio: expect.any(Number),
    singlePublishMs: { ...percentiles, samples: 10 },
    concurrentSingles: { events: 40, inFlight: 20, eventsPerSecond: expect.any(Number) },
  });
  expect(report.replay).toEqual({
    events: 150,
    writeSeconds: expect.any(Number),
    timeToFirstEventMs: expect.any(Number),
    eventsPerSecond: expect.any(Number),
    received: 150,
    complete: true,
  });
  expect(report.naive).toEqual({ naive: startup(2), gateway: startup(2) });
  // One consumer group per naive subscription.
  expect(report.naive.naive.consumerGroups).toBe(2);
  const throughput = (members: number) => ({
    members,
    eventsPerSecond: expect.any(Number),
    firstEventMs: expect.any(Number),
    ackMs: { ...percentiles, samples: expect.any(Number) },
  });
  const change = (name: string) => ({
    change: name,
    instance: 'same',
    pauseMs: expect.any(Number),
    partitionPauseMs: expect.any(Number),
    steadyPauseMs: expect.any(Number),
    steadyPartitionPauseMs: expect.any(Number),
    ...(name === 'join'
      ? { joinedFirstEventMs: expect.toBeOneOf([expect.any(Number), null]) }
      : {}),
  });
  // The reconnect storm, on the embedded log and on the run's broker: everyone resumed.
  const storm = (log: string) => ({
    log,
    publishPerSecond: 20,
    storms: [
      expect.objectContaining({
        clients: 20,
        connected: 20,
        resumed: 20,
        refused: 0,
        timeToFirstEventMs: { ...percentiles, samples: 20 },
        timeToFirstEventFromConnectMs: { ...percentiles, samples: 20 },
      }),
    ],
    replayFromEarliestFirstEventMs: expect.any(Number),
    resumeFromOldestCursorFirstEventMs: expect.any(Number),
    ...(log === 'kafka'
      ? {
          onASecondInstance: {
            replayFromEarliestFirstEventMs: expect.any(Number),
            resumeFromOldestCursorFirstEventMs: expect.any(Number),
            replayAgainFirstEventMs: expect.any(Number),
          },
        }
      : {}),
    consumerGroupsCreated: log === 'kafka' ? 0 : null,
  });
  expect(report.resume).toEqual({ embedded: storm('embedded'), kafka: storm('kafka') });
  expect(report.groups).toEqual({
    partitions: 4,
    throughput: [throughput(1), throughput(3)],
    rebalance: {
      ratePerSecond: 50,
      windowMs: 1500,
      changes: ['join', 'leave', 'join', 'vanish'].map(change),
    },
  });
});
