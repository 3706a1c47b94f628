/**
 * What the global setup (test/setup/kafka.ts) hands to every test worker through vitest's
 * `provide`/`inject`, which reaches workers of any pool (an env variable set in the global
 * setup does not reach workers that are already running).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap addresses of the test broker; empty when there is none. */
    kafkaBrokers: string[];
    /** One line saying why there is no broker; empty when there is one. */
    kafkaUnavailable: string;
  }
}

export {};
