import { hostname } from 'node:os';
import { join } from 'node:path';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { Logger } from '../logger.js';
import { createEmbeddedLog } from './embedded/index.js';
import type { EventLog } from './event-log.js';
import { createKafkaLog, transactionalIdFor } from './kafka/index.js';

/** The event log the configuration names: Kafka when brokers are set, else the embedded log. */
export function createEventLog(config: GatewayConfig, logger: Logger): EventLog {
  const kafka = config.kafka;
  if (!kafka) {
    return createEmbeddedLog({
      dataDir: join(config.dataDir, 'log'),
      fsync: config.fsync,
      fsyncIntervalMs: config.fsyncIntervalMs,
      logger: logger.child({ component: 'embedded-log' }),
    });
  }
  return createKafkaLog({
    brokers: kafka.brokers,
    clientId: 'streamgate',
    topicPrefix: config.topicPrefix,
    // Stable across restarts on one host and port, unique among instances running side by side.
    transactionalId: transactionalIdFor(
      config.topicPrefix,
      kafka.instanceId ?? `${hostname().replace(/[^A-Za-z0-9._-]/g, '_')}-${config.port}`,
    ),
    ...(kafka.ssl
      ? {
          ssl: {
            ...(kafka.ssl.ca ? { ca: kafka.ssl.ca } : {}),
            ...(kafka.ssl.cert ? { cert: kafka.ssl.cert } : {}),
            ...(kafka.ssl.key ? { key: kafka.ssl.key } : {}),
            verifyHostname: kafka.ssl.verifyHostname,
          },
        }
      : {}),
    ...(kafka.sasl ? { sasl: kafka.sasl } : {}),
    logger: logger.child({ component: 'kafka' }),
  });
}
