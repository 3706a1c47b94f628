/** Streamgate's public surface, for embedding the gateway or its parts. */
export { createGateway, type Gateway, type GatewayOptions } from './http/create-gateway.js';
export { createEventLog } from './log/create-event-log.js';
export { createKafkaLog, type KafkaLogOptions } from './log/kafka/index.js';
export { createEmbeddedLog, type EmbeddedLogOptions } from './log/embedded/index.js';
export type {
  AppendRecord,
  AppendResult,
  EventLog,
  LogReader,
  LogRecord,
  ReadOptions,
  RecordBatch,
  TopicSpec,
} from './log/event-log.js';
export { LogError, LogErrorCode } from './log/event-log.js';
export { createFanout, type Fanout, type FanoutOptions } from './fanout/fanout.js';
export { loadConfig, ConfigError, type GatewayConfig } from './config/index.js';
export { createLogger, type Logger } from './logger.js';
export { ErrorCode, gatewayError } from './errors.js';
export { encodeCursor, decodeCursor, type Positions } from './events/cursor.js';
export type { EventEnvelope, StoredEvent } from './events/envelope.js';
export type { EventFilterInput } from './events/filter.js';
