import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql for everyone: Vite would load graphql's ESM build for our imports while CommonJS
    // dependencies require() its CJS build, and graphql refuses types from "another realm".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Starts one Kafka broker for the run (or uses KAFKA_BROKERS); see test/setup/kafka.ts.
    globalSetup: ['test/setup/kafka.ts'],
    // Integration tests wait on group joins and broker round trips; the first run of a hook
    // may also wait on a broker download.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Covers stopping the broker (SIGTERM, SIGKILL after 15 s) at the end of the run.
    teardownTimeout: 30_000,
    // Two workers on two cores: most tests wait on Kafka rather than compute, and the
    // broker's JVM needs the rest. (Vitest's default would be one worker here.)
    pool: 'forks',
    maxWorkers: 2,
  },
});
