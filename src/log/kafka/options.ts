import type { KafkaConfig, LogEntry, SASLOptions } from 'kafkajs';
import { hostname } from 'node:os';
import { logLevel } from './kafkajs.js';

/** A pino-compatible logger; the adapter forwards kafkajs's own log lines to it. */
export interface KafkaLogLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface KafkaSslOptions {
  /** PEM CA certificate(s) to trust instead of the system store. @default undefined */
  readonly ca?: string;
  /** PEM client certificate (mutual TLS). @default undefined */
  readonly cert?: string;
  /** PEM private key of `cert`. @default undefined */
  readonly key?: string;
  /**
   * Check that the broker certificate names the broker host. Heroku Kafka's certificates name
   * no host, so its clients must turn this off (the CA still has to sign the certificate).
   * @default true
   */
  readonly verifyHostname?: boolean;
}

export interface KafkaSaslOptions {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** Fetch tuning of readers, and group-membership tuning of consumer groups (src/groups). */
export interface KafkaReaderTuning {
  /**
   * The broker drops a member it has not heard from for this long. Brokers refuse values below
   * `group.min.session.timeout.ms` (6 s by default), and it bounds how long a rejoin after a
   * broker restart can wait for the dead member, so it is as low as brokers allow.
   * @default 6000
   */
  readonly sessionTimeout?: number;
  /** How long the coordinator waits for members to rejoin during a rebalance. @default 6000 */
  readonly rebalanceTimeout?: number;
  /**
   * How often a member tells the coordinator it lives, and so how soon it learns of a rebalance
   * (another instance joining or leaving the group): the partitions that move wait for it
   * (bench/group-bench.ts; bench/README.md has the figures).
   * @default 1000
   */
  readonly heartbeatInterval?: number;
  /** Longest a fetch waits at the broker for new records: the live tail's added latency. @default 100 */
  readonly maxWaitTimeInMs?: number;
  /** @default 1048576 */
  readonly maxBytesPerPartition?: number;
  /** Delay before a crashed reader (broker down) tries again. @default 500 */
  readonly restartDelayMs?: number;
}

export interface KafkaLogOptions {
  /** Bootstrap brokers as `host:port`. */
  readonly brokers: readonly string[];
  /** @default 'streamgate' */
  readonly clientId?: string;
  /** TLS: true for the system CAs, or PEM strings. @default false */
  readonly ssl?: boolean | KafkaSslOptions;
  /** @default undefined (no SASL) */
  readonly sasl?: KafkaSaslOptions;
  /**
   * Put in front of every topic name (and consumer group id, as Heroku's multi-tenant plans
   * require); callers never see it, and topics outside it are hidden from them.
   * @default ''
   */
  readonly topicPrefix?: string;
  /** TCP (and TLS) connect timeout per broker, in ms. @default 3000 */
  readonly connectionTimeout?: number;
  /** Timeout of one request to a broker, in ms. @default 10000 */
  readonly requestTimeout?: number;
  /**
   * Upper bound of one append: while the brokers cannot be reached, an append fails with a
   * retriable LOG_UNAVAILABLE after at most this long instead of waiting for them.
   * @default 5000
   */
  readonly publishTimeoutMs?: number;
  /**
   * How long an append waits to share one produce request with appends made after it. 0 sends
   * every append (one `append`/`appendMany` call) as a request of its own. Appends sharing a
   * request share its outcome: when it fails (say, one of them names an unknown topic), all do.
   * @default 0
   */
  readonly producerLingerMs?: number;
  /** Appends sharing a request stop being coalesced beyond this many bytes. @default 262144 */
  readonly producerBatchBytes?: number;
  /**
   * Largest record (key, headers, value and framing) an append accepts; larger ones fail with
   * LOG_RECORD_TOO_LARGE before anything is sent. The same limit as the embedded log's.
   * @default 1114112 (1 MiB + 64 KiB)
   */
  readonly maxRecordBytes?: number;
  /**
   * `max.message.bytes` of the topics createTopic makes. Kafka applies it to a record batch
   * (all records of one append bound for one partition), not to a record, so it is well above
   * maxRecordBytes: the gateway's batch publish may carry 5 MiB.
   * @default 8388608 (8 MiB)
   */
  readonly topicMaxMessageBytes?: number;
  /**
   * The Kafka `transactional.id` of this instance's producer, used for appends that span
   * partitions (a publishBatch) so they are all or nothing. Must be unique among running
   * instances (two instances with one id fence each other) and is best stable across restarts
   * (a restarted instance then aborts at once what its predecessor left open). Put under the
   * topic prefix so one prefixed ACL grants it; see `transactionalIdFor`.
   * @default `${topicPrefix}streamgate.${os.hostname()}.${process.pid}`
   */
  readonly transactionalId?: string;
  /**
   * Kafka's `transaction.timeout.ms` for those transactions: how long a transaction left open
   * by a crashed instance (whose successor does not reuse its id) holds back READ_COMMITTED
   * readers of its partitions before the broker aborts it. Above publishTimeoutMs.
   * @default 10000
   */
  readonly transactionTimeoutMs?: number;
  /**
   * Connections (per broker) that one-off fetches (`EventLog.fetch`, the catch-up path) share.
   * @default 2
   */
  readonly fetchConnections?: number;
  /** Timeout of the readiness probe, in ms. @default 1000 */
  readonly healthTimeoutMs?: number;
  /** How long a readiness answer is reused, in ms. @default 1000 */
  readonly healthCacheMs?: number;
  /** @default {} (the defaults of KafkaReaderTuning) */
  readonly reader?: KafkaReaderTuning;
  /** Receives kafkajs's log lines. @default undefined (kafkajs logs nothing) */
  readonly logger?: KafkaLogLogger;
}

export type ResolvedKafkaLogOptions = Required<
  Omit<KafkaLogOptions, 'sasl' | 'logger' | 'reader'>
> & {
  readonly sasl: KafkaSaslOptions | undefined;
  readonly logger: KafkaLogLogger | undefined;
  readonly reader: Required<KafkaReaderTuning>;
};

const defaults = {
  clientId: 'streamgate',
  ssl: false,
  topicPrefix: '',
  connectionTimeout: 3000,
  requestTimeout: 10_000,
  publishTimeoutMs: 5000,
  producerLingerMs: 0,
  producerBatchBytes: 256 * 1024,
  maxRecordBytes: 1024 * 1024 + 64 * 1024,
  topicMaxMessageBytes: 8 * 1024 * 1024,
  transactionTimeoutMs: 10_000,
  fetchConnections: 2,
  healthTimeoutMs: 1000,
  healthCacheMs: 1000,
  reader: {
    sessionTimeout: 6000,
    rebalanceTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 1024 * 1024,
    restartDelayMs: 500,
  },
} as const;

/** Applies the defaults, once; rejects options kafkajs would only trip over later. */
export function resolveKafkaLogOptions(options: KafkaLogOptions): ResolvedKafkaLogOptions {
  if (options.brokers.length === 0) {
    throw new Error('KafkaLogOptions.brokers must name at least one broker');
  }
  const tuning = options.reader ?? {};
  const reader = {
    sessionTimeout: tuning.sessionTimeout ?? defaults.reader.sessionTimeout,
    rebalanceTimeout: tuning.rebalanceTimeout ?? defaults.reader.rebalanceTimeout,
    heartbeatInterval: tuning.heartbeatInterval ?? defaults.reader.heartbeatInterval,
    maxWaitTimeInMs: tuning.maxWaitTimeInMs ?? defaults.reader.maxWaitTimeInMs,
    maxBytesPerPartition: tuning.maxBytesPerPartition ?? defaults.reader.maxBytesPerPartition,
    restartDelayMs: tuning.restartDelayMs ?? defaults.reader.restartDelayMs,
  };
  const transactionTimeoutMs = options.transactionTimeoutMs ?? defaults.transactionTimeoutMs;
  const publishTimeoutMs = options.publishTimeoutMs ?? defaults.publishTimeoutMs;
  if (transactionTimeoutMs <= publishTimeoutMs) {
    throw new Error('KafkaLogOptions.transactionTimeoutMs must be above publishTimeoutMs');
  }
  if (reader.heartbeatInterval >= reader.sessionTimeout) {
    throw new Error('KafkaLogOptions.reader.heartbeatInterval must be below sessionTimeout');
  }
  return {
    brokers: [...options.brokers],
    clientId: options.clientId ?? defaults.clientId,
    ssl: options.ssl ?? defaults.ssl,
    sasl: options.sasl,
    topicPrefix: options.topicPrefix ?? defaults.topicPrefix,
    connectionTimeout: options.connectionTimeout ?? defaults.connectionTimeout,
    requestTimeout: options.requestTimeout ?? defaults.requestTimeout,
    publishTimeoutMs: options.publishTimeoutMs ?? defaults.publishTimeoutMs,
    producerLingerMs: options.producerLingerMs ?? defaults.producerLingerMs,
    producerBatchBytes: options.producerBatchBytes ?? defaults.producerBatchBytes,
    maxRecordBytes: options.maxRecordBytes ?? defaults.maxRecordBytes,
    topicMaxMessageBytes: options.topicMaxMessageBytes ?? defaults.topicMaxMessageBytes,
    transactionalId:
      options.transactionalId ??
      transactionalIdFor(
        options.topicPrefix ?? defaults.topicPrefix,
        `${hostname()}.${process.pid}`,
      ),
    transactionTimeoutMs: options.transactionTimeoutMs ?? defaults.transactionTimeoutMs,
    fetchConnections: options.fetchConnections ?? defaults.fetchConnections,
    healthTimeoutMs: options.healthTimeoutMs ?? defaults.healthTimeoutMs,
    healthCacheMs: options.healthCacheMs ?? defaults.healthCacheMs,
    reader,
    logger: options.logger,
  };
}

/**
 * The transactional id of the instance named `instance`: `<topicPrefix>streamgate.<instance>`,
 * so an operator grants every instance's id with one prefixed ACL on `<topicPrefix>streamgate.`.
 */
export function transactionalIdFor(topicPrefix: string, instance: string): string {
  return `${topicPrefix}streamgate.${instance}`;
}

/** The kafkajs client configuration; `retry` differs between producer, admin and readers. */
export function kafkaClientConfig(
  options: ResolvedKafkaLogOptions,
  overrides: Partial<KafkaConfig> = {},
): KafkaConfig {
  return {
    clientId: options.clientId,
    brokers: [...options.brokers],
    ssl: sslConfig(options.ssl),
    sasl: options.sasl ? saslConfig(options.sasl) : undefined,
    connectionTimeout: options.connectionTimeout,
    requestTimeout: options.requestTimeout,
    logLevel: options.logger ? logLevel.INFO : logLevel.NOTHING,
    logCreator: () => (entry) => forwardLog(options.logger, entry),
    ...overrides,
  };
}

function saslConfig({ mechanism, username, password }: KafkaSaslOptions): SASLOptions {
  // Spelled per mechanism: kafkajs types SASL options as a union discriminated by mechanism.
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

function sslConfig(ssl: boolean | KafkaSslOptions): KafkaConfig['ssl'] {
  if (typeof ssl === 'boolean') return ssl;
  return {
    ca: ssl.ca,
    cert: ssl.cert,
    key: ssl.key,
    ...(ssl.verifyHostname === false ? { checkServerIdentity: () => undefined } : {}),
  };
}

function forwardLog(logger: KafkaLogLogger | undefined, entry: LogEntry): void {
  if (!logger) return;
  const { message, timestamp: _timestamp, ...fields } = entry.log;
  const line = { ...fields, kafkajs: entry.namespace };
  // The producer limits its retries on purpose and replaces itself after any failed send
  // (producer.ts), which is what this warning asks for; it is not news to an operator.
  if (message.startsWith('Limiting retries for the idempotent producer')) {
    return logger.debug(line, message);
  }
  // kafkajs logs every error response at ERROR, even those it retries or expects (an existing
  // topic on create, a coordinator still loading); what matters reaches callers as a LogError.
  if (entry.namespace === 'Connection' && entry.level === logLevel.ERROR) {
    return logger.debug(line, message);
  }
  switch (entry.level) {
    case logLevel.ERROR:
      return logger.error(line, message);
    case logLevel.WARN:
      return logger.warn(line, message);
    case logLevel.INFO:
      return logger.info(line, message);
    default:
      return logger.debug(line, message);
  }
}
