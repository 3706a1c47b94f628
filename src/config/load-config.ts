import { readEdgeLimits } from './edge-limits.js';
import { EnvReader } from './env-reader.js';
import { choice, flag, integer, secret, text } from './env-values.js';
import {
  CONFIG_DEFAULTS,
  FSYNC_MODES,
  LOG_FORMATS,
  LOG_LEVELS,
  type GatewayConfig,
  type GatewayLimits,
} from './gateway-config.js';
import { readKafkaSettings } from './kafka-config.js';
import { readMetricsToken, readRegistryLimits } from './registry-config.js';

/** The shortest admin token accepted: shorter ones are guessable. */
const MIN_ADMIN_TOKEN_LENGTH = 16;

/**
 * Reads the gateway's settings from the environment (see `GatewayConfig` for each variable).
 * Throws a `ConfigError` naming every bad variable, one line each, with no secret in it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const reader = new EnvReader(env);
  // Read in the order a user scans the list of problems: server, security, Kafka, limits.
  const port = reader.read('PORT', integer(1, 65535), CONFIG_DEFAULTS.port);
  const host = reader.read('HOST', text, CONFIG_DEFAULTS.host);
  const dataDir = reader.read('GATEWAY_DATA_DIR', text, CONFIG_DEFAULTS.dataDir);
  const adminToken = reader.read('GATEWAY_ADMIN_TOKEN', secret(MIN_ADMIN_TOKEN_LENGTH));
  const logLevel = reader.read('LOG_LEVEL', choice(LOG_LEVELS), CONFIG_DEFAULTS.logLevel);
  const logFormat = reader.read('LOG_FORMAT', choice(LOG_FORMATS), CONFIG_DEFAULTS.logFormat);
  const { kafka, topicPrefix } = readKafkaSettings(reader);
  const limits = readLimits(reader);
  const registryLimits = readRegistryLimits(reader);
  const metricsToken = readMetricsToken(reader);
  const edge = readEdgeLimits(reader);
  // fsync is the embedded log's durability; Kafka's is acks from the in-sync replicas.
  if (kafka) reader.ignore('FSYNC');
  const fsync = kafka
    ? CONFIG_DEFAULTS.fsync
    : reader.read('FSYNC', choice(FSYNC_MODES), CONFIG_DEFAULTS.fsync);
  if (fsync !== 'interval') reader.ignore('FSYNC_INTERVAL_MS');
  // Only the embedded log's own files can be damaged; Kafka replicates and reports none.
  if (kafka) reader.ignore('GATEWAY_ACCEPT_REGISTRY_DAMAGE');
  const acceptRegistryDamage = kafka
    ? CONFIG_DEFAULTS.acceptRegistryDamage
    : reader.read('GATEWAY_ACCEPT_REGISTRY_DAMAGE', flag, CONFIG_DEFAULTS.acceptRegistryDamage);
  const fsyncIntervalMs =
    fsync === 'interval'
      ? reader.read('FSYNC_INTERVAL_MS', integer(1), CONFIG_DEFAULTS.fsyncIntervalMs)
      : CONFIG_DEFAULTS.fsyncIntervalMs;
  const groupMaxDeliveries = reader.read(
    'GATEWAY_GROUP_MAX_DELIVERIES',
    integer(1, 1000),
    CONFIG_DEFAULTS.groupMaxDeliveries,
  );
  reader.throwIfInvalid();
  return {
    port,
    host,
    dataDir,
    adminToken,
    topicPrefix,
    logLevel,
    logFormat,
    kafka,
    limits,
    registryLimits,
    metricsToken,
    edge,
    fsync,
    fsyncIntervalMs,
    acceptRegistryDamage,
    fanout: {
      hotWindowBytes: reader.read(
        'GATEWAY_HOT_WINDOW_BYTES',
        integer(0),
        CONFIG_DEFAULTS.hotWindowBytes,
      ),
      catchUpConcurrency: reader.read(
        'GATEWAY_CATCH_UP_CONCURRENCY',
        integer(1, 1024),
        CONFIG_DEFAULTS.catchUpConcurrency,
      ),
    },
    groupMaxDeliveries,
    ignoredVariables: reader.ignoredVariables(),
  };
}

function readLimits(reader: EnvReader): GatewayLimits {
  const limits = {
    maxEventBytes: reader.read('MAX_EVENT_BYTES', integer(1), CONFIG_DEFAULTS.maxEventBytes),
    maxBatchEvents: reader.read('MAX_BATCH_EVENTS', integer(1), CONFIG_DEFAULTS.maxBatchEvents),
    maxBatchBytes: reader.read('MAX_BATCH_BYTES', integer(1), CONFIG_DEFAULTS.maxBatchBytes),
  };
  // A batch must be able to carry at least one event of the largest size allowed.
  if (limits.maxBatchBytes < limits.maxEventBytes) {
    const culprit = reader.isSet('MAX_BATCH_BYTES') ? 'MAX_BATCH_BYTES' : 'MAX_EVENT_BYTES';
    reader.fail(
      culprit,
      culprit === 'MAX_BATCH_BYTES'
        ? `must be at least MAX_EVENT_BYTES (${limits.maxEventBytes}), got ${limits.maxBatchBytes}`
        : `must be at most MAX_BATCH_BYTES (${limits.maxBatchBytes}), got ${limits.maxEventBytes}`,
    );
  }
  return limits;
}
