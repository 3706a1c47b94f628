/** The broker's `server.properties` and its Log4j 2 configuration, as text. */

export interface ServerPropertiesInput {
  /** Kafka's log.dirs: where the topic data and the KRaft metadata log live. */
  readonly dataDir: string;
  /** The client (PLAINTEXT) port on 127.0.0.1. */
  readonly port: number;
  /** The KRaft controller port on 127.0.0.1. */
  readonly controllerPort: number;
  /** Extra or overriding settings, e.g. `{ 'log.retention.check.interval.ms': '1000' }`. */
  readonly overrides?: Readonly<Record<string, string>>;
  /**
   * `'test'`: internal topics with one partition, no initial rebalance delay, short session
   * timeouts allowed. `'production'`: Kafka's own defaults for those (50 partitions for
   * `__consumer_offsets` and `__transaction_state`, `group.initial.rebalance.delay.ms=3000`,
   * `group.min.session.timeout.ms=6000`), for benchmarks and tests that must see what a real
   * cluster does. Replication stays 1 (one node) and the thread counts stay low (two cores).
   * @default 'test'
   */
  readonly defaults?: BrokerDefaults;
  /** This node's id in a cluster. @default 1 */
  readonly nodeId?: number;
  /**
   * The controller quorum of a cluster as `id@host:port` entries; every node is a combined
   * broker and controller. @default this node alone
   */
  readonly quorumVoters?: readonly string[];
  /**
   * Replicas of every topic and internal topic, and `min.insync.replicas` (one less, at least
   * 1): a cluster of 3 keeps writing with one node down and loses no acknowledged record.
   * @default 1
   */
  readonly replicas?: number;
}

/** Which group and internal-topic settings a broker runs with; see `ServerPropertiesInput`. */
export type BrokerDefaults = 'test' | 'production';

/** The settings that make the first group join and the first transaction fast in tests. */
const FAST_GROUP_SETTINGS: Readonly<Record<string, string>> = {
  // One partition: creating __consumer_offsets with the default 50 slows the first group join.
  'offsets.topic.num.partitions': '1',
  'transaction.state.log.num.partitions': '1',
  'share.coordinator.state.topic.num.partitions': '1',
  'group.initial.rebalance.delay.ms': '0',
  // Lets tests choose short session timeouts (the broker default floor is 6 s).
  'group.min.session.timeout.ms': '1000',
};

/**
 * A single-node KRaft broker (combined broker and controller). With the default `'test'`
 * defaults every internal topic has one replica and few partitions so the first group join and
 * the first transaction are fast, and groups form without the 3 s initial rebalance delay.
 */
export function renderServerProperties(input: ServerPropertiesInput): string {
  const nodeId = input.nodeId ?? 1;
  const replicas = String(input.replicas ?? 1);
  const minInSync = String(Math.max(1, (input.replicas ?? 1) - 1));
  const settings: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(nodeId),
    // A static quorum (not controller.quorum.bootstrap.servers) formats without --standalone
    // and restarts on the same ports with nothing more to do.
    'controller.quorum.voters': (
      input.quorumVoters ?? [`${nodeId}@127.0.0.1:${input.controllerPort}`]
    ).join(','),
    listeners: `PLAINTEXT://127.0.0.1:${input.port},CONTROLLER://127.0.0.1:${input.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${input.port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': input.dataDir,

    // Topics exist only when created, as in production (the gateway creates its topics).
    'auto.create.topics.enable': 'false',
    'num.partitions': '1',
    'default.replication.factor': replicas,
    'min.insync.replicas': minInSync,
    'offsets.topic.replication.factor': replicas,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': minInSync,
    'share.coordinator.state.topic.replication.factor': replicas,
    'share.coordinator.state.topic.min.isr': minInSync,
    ...((input.defaults ?? 'test') === 'test' ? FAST_GROUP_SETTINGS : {}),

    // Two shared cores: fewer threads than the production defaults.
    'num.network.threads': '2',
    'num.io.threads': '2',
    'background.threads': '2',
    'num.recovery.threads.per.data.dir': '1',
    'log.cleaner.threads': '1',
    // Small, so a compacted test topic is cleaned without writing a gigabyte first.
    'log.cleaner.dedupe.buffer.size': String(8 * 1024 * 1024),
    ...input.overrides,
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${escapePropertyValue(value)}`)
    .join('\n')
    .concat('\n');
}

/** Java properties treat backslashes as escapes; paths and values here never need more. */
function escapePropertyValue(value: string): string {
  return value.replaceAll('\\', '\\\\');
}

/**
 * Log4j 2 in its properties format, which log4j-core reads without extra jars (the
 * distribution's YAML config needs jackson-dataformat-yaml). Everything goes to stdout, which
 * the launcher sends to a file.
 */
export function renderLog4j2Properties(level: 'INFO' | 'WARN' | 'DEBUG'): string {
  return `status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = ${level}
rootLogger.appenderRef.out.ref = out
# Per-request and per-partition state logs drown the useful lines.
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
`;
}
