export { createKafkaLog } from './kafka-log.js';
export type {
  KafkaLogLogger,
  KafkaLogOptions,
  KafkaReaderTuning,
  KafkaSaslOptions,
  KafkaSslOptions,
} from './options.js';
