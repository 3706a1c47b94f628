/**
 * NO_RETRIES leans on how kafkajs 2.2.4 checks and counts retries (src/log/kafka/kafkajs.ts):
 * these fail when a kafkajs release changes that, before a transaction could be retried per
 * broker again (which wrote records twice on a 3-node cluster).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Kafka, NO_RETRIES } from '../../src/log/kafka/kafkajs.js';

const require = createRequire(import.meta.url);

describe('kafkajs with NO_RETRIES', () => {
  it('accepts it for an idempotent, transactional producer', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], clientId: 'no-retries' });
    expect(() =>
      kafka.producer({ idempotent: true, transactionalId: 'no-retries', retry: NO_RETRIES }),
    ).not.toThrow();
  });

  it('runs a failing request once, even when the error is retriable', async () => {
    // kafkajs's retrier, as the producer builds it from its `retry` option (an internal module).
    const createRetry = require('kafkajs/src/retry') as (
      options: object,
    ) => <T>(fn: () => Promise<T>) => Promise<T>;
    let calls = 0;
    const failing = async () => {
      calls++;
      throw Object.assign(new Error('not the leader'), { retriable: true });
    };
    await expect(createRetry({ ...NO_RETRIES })(failing)).rejects.toThrow();
    expect(calls).toBe(1);
  });
});
