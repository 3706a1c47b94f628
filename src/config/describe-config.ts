import { X509Certificate } from 'node:crypto';
import type { GatewayConfig, KafkaConfig } from './gateway-config.js';

const REDACTED = '[redacted]';

/**
 * The configuration as an object fit for a start-up log line: secrets (admin token, SASL
 * password, private key) are replaced by '[redacted]'; certificates, which are public, are
 * summarised by subject and expiry, which is what an operator checks during a CA rotation.
 */
export function describeConfig(config: GatewayConfig): Record<string, unknown> {
  return {
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    adminToken: config.adminToken === undefined ? 'generated at start' : REDACTED,
    topicPrefix: config.topicPrefix,
    logLevel: config.logLevel,
    logFormat: config.logFormat,
    log: config.kafka ? 'kafka' : 'embedded',
    kafka: config.kafka ? describeKafka(config.kafka) : undefined,
    limits: { ...config.limits },
    registryLimits: { ...config.registryLimits },
    metricsToken: config.metricsToken === undefined ? undefined : REDACTED,
    edge: { ...config.edge },
    fsync: config.kafka ? undefined : config.fsync,
    fsyncIntervalMs:
      !config.kafka && config.fsync === 'interval' ? config.fsyncIntervalMs : undefined,
    groupMaxDeliveries: config.groupMaxDeliveries,
    acceptRegistryDamage: config.kafka ? undefined : config.acceptRegistryDamage,
    ignoredVariables: [...config.ignoredVariables],
  };
}

function describeKafka(kafka: KafkaConfig): Record<string, unknown> {
  const { ssl, sasl } = kafka;
  return {
    source: kafka.source,
    brokers: [...kafka.brokers],
    groupIdPrefix: kafka.groupIdPrefix,
    instanceId: kafka.instanceId,
    ssl: ssl
      ? {
          ca: ssl.ca === undefined ? 'system CAs' : describeCertificates(ssl.ca),
          cert: ssl.cert === undefined ? undefined : describeCertificates(ssl.cert),
          key: ssl.key === undefined ? undefined : REDACTED,
          rejectUnauthorized: ssl.rejectUnauthorized,
          verifyHostname: ssl.verifyHostname,
        }
      : false,
    sasl: sasl
      ? { mechanism: sasl.mechanism, username: sasl.username, password: REDACTED }
      : undefined,
  };
}

function describeCertificates(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    try {
      const certificate = new X509Certificate(block);
      return `${certificate.subject.replaceAll('\n', ', ')} (valid to ${certificate.validTo})`;
    } catch {
      return 'unparsable certificate';
    }
  });
}
