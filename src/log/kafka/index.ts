export { createKafkaLog } from './kafka-log.js';
export { transactionalIdFor } from './options.js';
export type {
  KafkaLogLogger,
  KafkaLogOptions,
  KafkaReaderTuning,
  KafkaSaslOptions,
  KafkaSslOptions,
} from './options.js';
