import type { EdgeLimits } from './edge-limits.js';

/**
 * The gateway's settings, as `loadConfig` reads them from the environment. Each field names its
 * variable; `CONFIG_DEFAULTS` is the one place defaults live.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How log lines are written: 'auto' is readable lines on a terminal, JSON otherwise. */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const FSYNC_MODES = ['always', 'interval', 'never'] as const;
export type FsyncMode = (typeof FSYNC_MODES)[number];

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

import type { RegistryLimitSettings } from './registry-config.js';

const MIB = 1024 * 1024;

export const CONFIG_DEFAULTS = {
  port: 4000,
  host: '0.0.0.0',
  dataDir: './data',
  topicPrefix: '',
  logLevel: 'info',
  logFormat: 'auto',
  maxEventBytes: 1 * MIB,
  maxBatchEvents: 500,
  maxBatchBytes: 5 * MIB,
  fsync: 'always',
  fsyncIntervalMs: 1000,
  hotWindowBytes: 64 * MIB,
  catchUpConcurrency: 8,
  sslRejectUnauthorized: true,
  groupMaxDeliveries: 5,
  acceptRegistryDamage: false,
} as const satisfies Record<string, string | number | boolean>;

/** Size limits on what clients publish. */
export interface GatewayLimits {
  /** `MAX_EVENT_BYTES`: the largest event (its JSON) accepted. @default 1048576 (1 MiB) */
  readonly maxEventBytes: number;
  /** `MAX_BATCH_EVENTS`: the most events in one batch publish. @default 500 */
  readonly maxBatchEvents: number;
  /**
   * `MAX_BATCH_BYTES`: the largest batch publish in total; never below `maxEventBytes`.
   * @default 5242880 (5 MiB)
   */
  readonly maxBatchBytes: number;
}

/** How subscriptions read the past. */
export interface FanoutConfig {
  /**
   * `GATEWAY_HOT_WINDOW_BYTES`: memory for the recent past of every stream in use (all
   * partitions together). Resumes and subscriptions that start inside it read from memory.
   * @default 67108864 (64 MiB)
   */
  readonly hotWindowBytes: number;
  /**
   * `GATEWAY_CATCH_UP_CONCURRENCY`: reads of older history from the log under way at once;
   * the rest wait their turn (by token), never refused.
   * @default 8
   */
  readonly catchUpConcurrency: number;
}

/** TLS towards the brokers. Its presence on `KafkaConfig.ssl` means TLS is on. */
export interface KafkaTlsConfig {
  /**
   * PEM of the CA certificates that sign the brokers' certificates (may hold several, as
   * Heroku's `KAFKA_TRUSTED_CERT` does while it rotates its CA). `KAFKA_SSL_CA`, else
   * `KAFKA_TRUSTED_CERT` with `KAFKA_URL`.
   * @default undefined (Node's bundled public CAs)
   */
  readonly ca: string | undefined;
  /** PEM client certificate (mutual TLS). `KAFKA_SSL_CERT` or `KAFKA_CLIENT_CERT`. @default undefined */
  readonly cert: string | undefined;
  /** PEM private key of `cert`. `KAFKA_SSL_KEY` or `KAFKA_CLIENT_CERT_KEY`. Secret. @default undefined */
  readonly key: string | undefined;
  /**
   * `KAFKA_SSL_REJECT_UNAUTHORIZED`: refuse brokers whose certificate chain does not lead to
   * `ca`. Turning it off gives up all protection against a man in the middle; for local tests only.
   * @default true
   */
  readonly rejectUnauthorized: boolean;
  /**
   * `KAFKA_SSL_VERIFY_HOSTNAME`: also require the broker certificate to name the host dialled.
   * Heroku's broker certificates do not name the hosts in `KAFKA_URL`, so with the CA from
   * `KAFKA_TRUSTED_CERT` the default is false: the chain is still checked against that private
   * CA, which only Heroku's brokers hold certificates of.
   * @default true (false when the CA is `KAFKA_TRUSTED_CERT`)
   */
  readonly verifyHostname: boolean;
}

export interface KafkaSaslConfig {
  /** `KAFKA_SASL_MECHANISM`, any case. */
  readonly mechanism: SaslMechanism;
  /** `KAFKA_SASL_USERNAME`, required with a mechanism. */
  readonly username: string;
  /** `KAFKA_SASL_PASSWORD`, required with a mechanism. Secret. */
  readonly password: string;
}

export interface KafkaConfig {
  /**
   * Which variable gave the brokers. `KAFKA_BROKERS` wins over `KAFKA_URL`: an operator who
   * sets it on purpose overrides what an add-on attached; the Heroku variables are then ignored
   * (listed in `GatewayConfig.ignoredVariables`), since they describe another cluster.
   */
  readonly source: 'KAFKA_BROKERS' | 'KAFKA_URL';
  /** `host:port` of each bootstrap broker, in the order given. */
  readonly brokers: readonly string[];
  /**
   * TLS settings, or undefined for plaintext. With `KAFKA_BROKERS`, TLS is on when `KAFKA_SSL`
   * is true or any of `KAFKA_SSL_CA`/`_CERT`/`_KEY` is set. With `KAFKA_URL`, the scheme decides:
   * `kafka+ssl://` is TLS, `kafka://` plaintext.
   * @default undefined
   */
  readonly ssl: KafkaTlsConfig | undefined;
  /** SASL authentication, or undefined for none. @default undefined */
  readonly sasl: KafkaSaslConfig | undefined;
  /**
   * Prefix for consumer group ids: the same as `GatewayConfig.topicPrefix`, because Heroku's
   * multi-tenant plans only let a client use groups that start with `KAFKA_PREFIX`.
   * @default ''
   */
  readonly groupIdPrefix: string;
  /**
   * `GATEWAY_INSTANCE_ID`: names this instance in its Kafka transactional id
   * (`<topicPrefix>streamgate.<instanceId>`). Unique among running instances, best stable
   * across restarts (a StatefulSet pod name, Heroku's `DYNO`).
   * @default undefined (the host name and `PORT`)
   */
  readonly instanceId?: string | undefined;
}

export interface GatewayConfig {
  /** `PORT`, 1 to 65535. @default 4000 */
  readonly port: number;
  /** `HOST`, the address to listen on. @default '0.0.0.0' */
  readonly host: string;
  /** `GATEWAY_DATA_DIR`: the embedded log and local state (the generated admin token). @default './data' */
  readonly dataDir: string;
  /**
   * `GATEWAY_ADMIN_TOKEN`, at least 16 characters. Secret. When undefined, `npm start`
   * generates one and keeps it in `dataDir`.
   * @default undefined
   */
  readonly adminToken: string | undefined;
  /**
   * Prefix of every topic name, the registry topic's too. `KAFKA_TOPIC_PREFIX`, else
   * `KAFKA_PREFIX` when the brokers come from `KAFKA_URL`. Letters, digits, `.`, `_` and `-` only.
   * @default ''
   */
  readonly topicPrefix: string;
  /** `LOG_LEVEL`, a pino level in any case. @default 'info' */
  readonly logLevel: LogLevel;
  /**
   * `LOG_FORMAT`: 'json' (one object per line, for log shippers), 'pretty' (readable lines), or
   * 'auto': pretty when stdout is a terminal, else JSON. @default 'auto'
   */
  readonly logFormat: LogFormat;
  /** The Kafka cluster, or undefined when neither `KAFKA_BROKERS` nor `KAFKA_URL` is set: the embedded log. @default undefined */
  readonly kafka: KafkaConfig | undefined;
  readonly limits: GatewayLimits;
  /** Schema and registry size limits (`GATEWAY_MAX_SCHEMA_*`, `GATEWAY_MAX_EVENT_TYPES*`); unset: the registry's defaults. */
  readonly registryLimits: RegistryLimitSettings;
  /**
   * `GATEWAY_METRICS_TOKEN`, at least 16 characters. Secret. A bearer token that may read
   * `/metrics` and nothing else; the admin token may read it too. @default undefined
   */
  readonly metricsToken: string | undefined;
  /** Trusted proxies, WebSocket caps, byte limits of operations. */
  readonly edge: EdgeLimits;
  /**
   * `FSYNC`: when the embedded log makes appends durable: before answering ('always'), every
   * `fsyncIntervalMs` ('interval'), or when the OS decides ('never').
   * @default 'always'
   */
  readonly fsync: FsyncMode;
  /** `FSYNC_INTERVAL_MS`: the period of 'interval' fsync. @default 1000 */
  readonly fsyncIntervalMs: number;
  /**
   * `GATEWAY_ACCEPT_REGISTRY_DAMAGE`: start even when the embedded log found damage in the
   * registry topic (lost records, perhaps a token revocation). Unset, such a gateway refuses to
   * start. @default false
   */
  readonly acceptRegistryDamage: boolean;
  readonly fanout: FanoutConfig;
  /**
   * `GATEWAY_GROUP_MAX_DELIVERIES`: how often a consumer group hands out an event without an
   * acknowledgement before it writes it to `<stream>.dead-letter` and moves past it.
   * @default 5
   */
  readonly groupMaxDeliveries: number;
  /**
   * Variables that are set but have no effect with the rest of the settings (for example the
   * Heroku ones when `KAFKA_BROKERS` is set, or `KAFKA_SSL_CA` with the embedded log). They are
   * not validated; start-up should log them as a warning.
   */
  readonly ignoredVariables: readonly string[];
}
