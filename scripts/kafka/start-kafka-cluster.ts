import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerLogTail, spawnBroker, type BrokerProcess } from './broker-process.js';
import { formatStorage, newClusterId } from './format-storage.js';
import { freePorts } from './free-port.js';
import { ensureKafkaJars } from './jars.js';
import { checkJava, javaExecutable } from './java.js';
import { KafkaSetupError, KafkaSetupErrorCode, lastErrorLine } from './kafka-setup-error.js';
import { KAFKA_RELEASE, type KafkaRelease } from './release.js';
import {
  renderLog4j2Properties,
  renderServerProperties,
  type BrokerDefaults,
} from './server-properties.js';
import { removeStaleBrokers, WORK_DIR_PREFIX, writeOwner } from './stale-brokers.js';
import { waitForMetadata } from './wait-for-metadata.js';

export interface StartKafkaClusterOptions {
  /** Nodes, each a combined broker and controller; the quorum is all of them. @default 3 */
  readonly nodes?: number;
  /** @default KAFKA_RELEASE */
  readonly release?: KafkaRelease;
  /** The JVM heap of each node. @default '384m' */
  readonly heap?: string;
  /** @default 'test' (see BrokerDefaults) */
  readonly defaults?: BrokerDefaults;
  /** Extra or overriding server.properties settings of every node. @default {} */
  readonly serverProperties?: Readonly<Record<string, string>>;
  /** Bound on a node's start (spawn to metadata served). @default 180_000 */
  readonly startTimeoutMs?: number;
  /** Bound between SIGTERM and SIGKILL when stopping a node. @default 30_000 */
  readonly stopTimeoutMs?: number;
  /** @default '<repo>/.cache/kafka' */
  readonly cacheDir?: string;
  /** Progress lines. @default stderr */
  readonly log?: (line: string) => void;
}

/** One node of a cluster: its own ports, data folder and log. */
export interface KafkaClusterNode {
  readonly nodeId: number;
  /** Its client address, `127.0.0.1:<port>`. */
  readonly broker: string;
  readonly logFile: string;
  isRunning(): boolean;
  /** SIGTERM (a controlled shutdown that moves leadership first), or SIGKILL with `kill`. */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Starts it again on its ports and data; resolves when it serves metadata. */
  start(): Promise<void>;
  restart(options?: { kill?: boolean }): Promise<void>;
}

/** A KRaft cluster on loopback, every topic replicated to every node. */
export interface KafkaCluster {
  /** Every node's client address. */
  readonly brokers: string[];
  readonly nodes: readonly KafkaClusterNode[];
  readonly version: string;
  readonly workDir: string;
  /** Stops every node and deletes the folder. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a cluster of `nodes` combined broker-and-controller nodes on free loopback ports, with
 * `default.replication.factor` = nodes and `min.insync.replicas` = nodes - 1 (3 and 2 for the
 * default three), for tests that restart or kill nodes while clients keep working.
 */
export async function startKafkaCluster(
  options: StartKafkaClusterOptions = {},
): Promise<KafkaCluster> {
  const count = options.nodes ?? 3;
  const release = options.release ?? KAFKA_RELEASE;
  const heap = options.heap ?? '384m';
  const startTimeoutMs = options.startTimeoutMs ?? 180_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const java = javaExecutable();
  await checkJava(java, release.minJavaVersion);
  const jars = await ensureKafkaJars({
    release,
    log,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  });
  await removeStaleBrokers(tmpdir());

  const workDir = await mkdtemp(join(tmpdir(), WORK_DIR_PREFIX));
  const children = new Map<number, BrokerProcess>();
  const cleanUpOnExit = () => {
    for (const child of children.values()) child.killNow();
    rmSync(workDir, { recursive: true, force: true });
  };
  process.once('exit', cleanUpOnExit);
  await writeOwner(workDir, { ownerPid: process.pid });
  const log4j = join(workDir, 'log4j2.properties');
  await writeFile(log4j, renderLog4j2Properties('INFO'));

  const ports = await freePorts(count * 2);
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const clientPort = (id: number) => ports[(id - 1) * 2]!;
  const controllerPort = (id: number) => ports[(id - 1) * 2 + 1]!;
  const voters = ids.map((id) => `${id}@127.0.0.1:${controllerPort(id)}`);
  const clusterId = newClusterId();
  const jvm = (mainClass: string, jvmHeap: string, extra: string[] = []) => [
    `-Xmx${jvmHeap}`,
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4j}`,
    ...extra,
    '-cp',
    join(jars.libDir, '*'),
    mainClass,
  ];
  const dirOf = (id: number) => join(workDir, `node-${id}`);
  const files = (id: number) => ({
    properties: join(dirOf(id), 'server.properties'),
    data: join(dirOf(id), 'data'),
    log: join(dirOf(id), 'broker.log'),
  });

  // Format every node with one cluster id, one at a time (each is a JVM on shared cores).
  for (const id of ids) {
    await mkdir(dirOf(id));
    await writeFile(
      files(id).properties,
      renderServerProperties({
        dataDir: files(id).data,
        port: clientPort(id),
        controllerPort: controllerPort(id),
        nodeId: id,
        quorumVoters: voters,
        replicas: count,
        defaults: options.defaults ?? 'test',
        overrides: options.serverProperties ?? {},
      }),
    );
    await writeFile(files(id).log, '');
    await formatStorage({
      java,
      storageToolCommand: jvm(release.storageToolClass, '256m', ['-XX:TieredStopAtLevel=1']),
      propertiesFile: files(id).properties,
      dataDir: files(id).data,
      cwd: dirOf(id),
      clusterId,
    });
  }

  const spawnNode = (id: number) => {
    const child = spawnBroker({
      java,
      args: [...jvm(release.mainClass, heap), files(id).properties],
      cwd: dirOf(id),
      logFile: files(id).log,
      killAfterMs: stopTimeoutMs,
    });
    children.set(id, child);
    return child;
  };

  const waitServing = async (id: number, child: BrokerProcess) => {
    const where = `127.0.0.1:${clientPort(id)}`;
    const outcome = await waitForMetadata([where], {
      timeoutMs: startTimeoutMs,
      hasExited: child.hasExited,
    });
    if (outcome === 'ready') return;
    const tail = await brokerLogTail(files(id).log);
    throw new KafkaSetupError(
      outcome === 'exited' ? KafkaSetupErrorCode.BrokerExited : KafkaSetupErrorCode.StartTimedOut,
      outcome === 'exited'
        ? `Kafka node ${id} on ${where} exited during start-up: ${lastErrorLine(tail)}`
        : `Kafka node ${id} on ${where} did not serve metadata within ${startTimeoutMs} ms`,
      { details: tail },
    );
  };

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.all([...children.values()].map((child) => child.stop({ timeoutMs: 5000 })));
    process.removeListener('exit', cleanUpOnExit);
    await rm(workDir, { recursive: true, force: true });
  };

  const started = Date.now();
  try {
    // All at once: a node serves only once a majority of the quorum is up.
    const spawned = ids.map((id) => [id, spawnNode(id)] as const);
    await Promise.all(spawned.map(([id, child]) => waitServing(id, child)));
  } catch (error) {
    await close();
    throw error;
  }
  log(
    `kafka: ${count}-node Kafka ${release.version} cluster serving on ${ids.map((id) => clientPort(id)).join(', ')} after ${Date.now() - started} ms`,
  );

  const nodes = ids.map((id): KafkaClusterNode => {
    const node: KafkaClusterNode = {
      nodeId: id,
      broker: `127.0.0.1:${clientPort(id)}`,
      logFile: files(id).log,
      isRunning: () => {
        const child = children.get(id);
        return child !== undefined && !child.hasExited();
      },
      async stop({ kill = false } = {}) {
        await children.get(id)?.stop({ timeoutMs: stopTimeoutMs, kill });
      },
      async start() {
        if (closed) throw new Error('this Kafka cluster was closed');
        if (node.isRunning()) return;
        await waitServing(id, spawnNode(id));
      },
      async restart(stopOptions) {
        await node.stop(stopOptions);
        await node.start();
      },
    };
    return node;
  });

  return {
    brokers: ids.map((id) => `127.0.0.1:${clientPort(id)}`),
    nodes,
    version: release.version,
    workDir,
    close,
  };
}
