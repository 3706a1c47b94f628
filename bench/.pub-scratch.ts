import { Kafka, logLevel } from 'kafkajs';
import { startKafka } from '../scripts/kafka/start-kafka.js';
import { startGatewayProcess } from '../test/support/gateway-process.js';
import { createBenchStreams, publishTicks, STREAMS } from './bench-streams.js';
import { inLanes, tickRecord } from './publish-bench.js';
import { wallMs } from './figures.js';
const broker = await startKafka({ log: () => {} });
const gateway = await startGatewayProcess({ brokers: broker.brokers, env: { LOG_LEVEL: 'warn' } });
await createBenchStreams(gateway);
const kafka = new Kafka({ clientId: 'x', brokers: broker.brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
await producer.connect();
const topic = gateway.topicPrefix + STREAMS.publish;
const size = 100;
const seqs = (b: number) => Array.from({ length: size }, (_, i) => b * size + i);
for (const conc of [1, 4, 16]) {
  const batches = 100;
  let t = wallMs();
  await inLanes(batches, conc, (b) => publishTicks(gateway, STREAMS.publish, seqs(b)));
  const g = (batches * size) / ((wallMs() - t) / 1000);
  t = wallMs();
  await inLanes(batches, conc, (b) => producer.send({ topic, acks: -1, messages: seqs(b).map((s) => tickRecord(STREAMS.publish, s)) }).then(() => {}));
  const k = (batches * size) / ((wallMs() - t) / 1000);
  console.log(JSON.stringify({ conc, gateway: Math.round(g), kafkajs: Math.round(k), ratio: +(g / k).toFixed(2) }));
}
await producer.disconnect(); await gateway.stop(); await broker.close();
