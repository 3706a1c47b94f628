import kafkajs from 'kafkajs';
import type { EventLog } from '../../src/log/event-log.js';
import { createKafkaLog } from '../../src/log/kafka/index.js';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';
import { describeFanoutSuite } from './fanout-suite.js';

describeFanoutSuite(
  'Kafka',
  async () => {
    const log = createKafkaLog({ brokers: kafkaBrokers() });
    await log.connect();
    const admin = new kafkajs.Kafka({
      brokers: kafkaBrokers(),
      logLevel: kafkajs.logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const others: EventLog[] = [];
    return {
      log,
      async openAnotherLog() {
        const another = createKafkaLog({ brokers: kafkaBrokers() });
        others.push(another);
        await another.connect();
        return another;
      },
      async expireRecords(topic) {
        // The broker checks retention every few minutes; deleting up to the end is the same cut.
        const offsets = await log.offsets(topic);
        // kafkajs looks the partition leaders up in metadata it must have loaded first.
        await admin.fetchTopicMetadata({ topics: [topic] });
        await admin.deleteTopicRecords({
          topic,
          partitions: offsets.map((p) => ({ partition: p.partition, offset: String(p.high) })),
        });
        await waitFor(async () => (await log.offsets(topic)).every((p) => p.low === p.high), {
          what: `every record of ${topic} to be deleted`,
        });
      },
      async teardown() {
        await admin.disconnect();
        await Promise.all([log, ...others].map((l) => l.close()));
      },
    };
  },
  // Generous for a shared machine: readers fetch by partition and offset, with no group join.
  { waitTimeoutMs: 30_000 },
);
