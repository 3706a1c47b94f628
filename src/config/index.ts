export { ConfigError, type ConfigIssue } from './config-error.js';
export { describeConfig } from './describe-config.js';
export { EDGE_DEFAULTS, type EdgeLimits } from './edge-limits.js';
export {
  CONFIG_DEFAULTS,
  FSYNC_MODES,
  LOG_FORMATS,
  LOG_LEVELS,
  SASL_MECHANISMS,
  type FsyncMode,
  type GatewayConfig,
  type GatewayLimits,
  type KafkaConfig,
  type KafkaSaslConfig,
  type KafkaTlsConfig,
  type LogFormat,
  type LogLevel,
  type SaslMechanism,
} from './gateway-config.js';
export { parseKafkaUrl, type KafkaUrl } from './kafka-url.js';
export { loadConfig } from './load-config.js';
export { tlsConnectionOptions } from './tls-options.js';
