import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerLogTail, spawnBroker, type BrokerProcess } from './broker-process.js';
import { freePorts } from './free-port.js';
import { ensureKafkaJars } from './jars.js';
import { checkJava, javaExecutable } from './java.js';
import { formatStorage } from './format-storage.js';
import { KafkaSetupError, KafkaSetupErrorCode, lastErrorLine } from './kafka-setup-error.js';
import { KAFKA_RELEASE, type KafkaRelease } from './release.js';
import {
  renderLog4j2Properties,
  renderServerProperties,
  type BrokerDefaults,
} from './server-properties.js';
import { removeStaleBrokers, WORK_DIR_PREFIX, writeOwner } from './stale-brokers.js';
import { waitForMetadata } from './wait-for-metadata.js';

export interface StartKafkaOptions {
  /** The Kafka release to run. @default KAFKA_RELEASE (scripts/kafka/release.ts) */
  readonly release?: KafkaRelease;
  /** Client port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** KRaft controller port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly controllerPort?: number;
  /** The JVM's maximum heap (-Xmx). @default '512m' */
  readonly heap?: string;
  /** Extra JVM options for the broker, after the built-in ones (which they can override). @default [] */
  readonly jvmOptions?: readonly string[];
  /** Bound on process spawn to metadata served (generous: CI machines can be slow). @default 120_000 */
  readonly startTimeoutMs?: number;
  /** Bound between SIGTERM and SIGKILL when stopping. @default 15_000 */
  readonly stopTimeoutMs?: number;
  /**
   * `'production'` runs with Kafka's own group and internal-topic defaults (3 s initial
   * rebalance delay, 50 offsets partitions, 6 s minimum session timeout) instead of the fast
   * test settings; see `BrokerDefaults`. `serverProperties` still override either.
   * @default 'test'
   */
  readonly defaults?: BrokerDefaults;
  /** Extra or overriding server.properties settings. @default {} */
  readonly serverProperties?: Readonly<Record<string, string>>;
  /** The broker's log level (its log is `<workDir>/broker.log`). @default 'INFO' */
  readonly logLevel?: 'INFO' | 'WARN' | 'DEBUG';
  /** Where the broker's temp folder is made. @default os.tmpdir() */
  readonly tmpDir?: string;
  /** Cache of downloaded jars. @default '<repo>/.cache/kafka' */
  readonly cacheDir?: string;
  /** Progress lines (download, start, stop). @default stderr */
  readonly log?: (line: string) => void;
}

/** A running single-node KRaft broker owned by this process. */
export interface KafkaBroker {
  /** Bootstrap addresses for clients, e.g. `['127.0.0.1:40123']`. */
  readonly brokers: string[];
  readonly version: string;
  /** The temp folder: server.properties, data/, broker.log. */
  readonly workDir: string;
  readonly logFile: string;
  /** Milliseconds from process spawn to metadata served, for the latest start. */
  readonly startupMs: number;
  isRunning(): boolean;
  /** Settles when the current broker process exits, saying how (to notice a crash). */
  exited(): Promise<string>;
  /**
   * Stops the broker (SIGTERM; `kill: true` for SIGKILL, a crash) but keeps its data and
   * ports, so `start()` brings the same broker back. Idempotent.
   */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Starts the stopped broker again on the same ports and data; resolves when it serves. */
  start(): Promise<void>;
  /** `stop()` then `start()`. */
  restart(options?: { kill?: boolean }): Promise<void>;
  /**
   * Freezes the running broker (SIGSTOP): its connections stay open and nothing is answered,
   * as with a broker in a long GC pause or cut off by the network. `resume()` (SIGCONT) lets it
   * go on; `stop()` and `close()` resume it first.
   */
  pause(): void;
  resume(): void;
  /** Stops the broker and deletes its temp folder. Idempotent; the last call on a broker. */
  close(): Promise<void>;
}

function resolveOptions(options: StartKafkaOptions) {
  return {
    release: options.release ?? KAFKA_RELEASE,
    port: options.port ?? 0,
    controllerPort: options.controllerPort ?? 0,
    heap: options.heap ?? '512m',
    jvmOptions: options.jvmOptions ?? [],
    startTimeoutMs: options.startTimeoutMs ?? 120_000,
    stopTimeoutMs: options.stopTimeoutMs ?? 15_000,
    defaults: options.defaults ?? 'test',
    serverProperties: options.serverProperties ?? {},
    logLevel: options.logLevel ?? 'INFO',
    tmpDir: options.tmpDir ?? tmpdir(),
    cacheDir: options.cacheDir,
    log: options.log ?? ((line: string) => void process.stderr.write(`${line}\n`)),
  };
}

/** Brokers of this process, killed and deleted on exit if nobody closed them. */
const liveBrokers = new Set<{ process: () => BrokerProcess | undefined; workDir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const broker of liveBrokers) {
      broker.process()?.killNow();
      rmSync(broker.workDir, { recursive: true, force: true });
    }
  });
}

/**
 * Downloads the broker jars if needed, formats a single-node KRaft log folder in a fresh temp
 * folder and starts `kafka.Kafka` on free loopback ports; resolves once it serves metadata.
 * Throws a KafkaSetupError whose message is one line saying what went wrong.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaBroker> {
  const o = resolveOptions(options);
  const java = javaExecutable();
  await checkJava(java, o.release.minJavaVersion);
  const jars = await ensureKafkaJars({
    release: o.release,
    log: o.log,
    ...(o.cacheDir === undefined ? {} : { cacheDir: o.cacheDir }),
  });
  await removeStaleBrokers(o.tmpDir);

  const workDir = await mkdtemp(join(o.tmpDir, WORK_DIR_PREFIX));
  const files = {
    properties: join(workDir, 'server.properties'),
    log4j: join(workDir, 'log4j2.properties'),
    data: join(workDir, 'data'),
    log: join(workDir, 'broker.log'),
  };
  let child: BrokerProcess | undefined;
  let paused = false;
  const entry = { process: () => child, workDir };
  liveBrokers.add(entry);
  installExitHook();
  await writeOwner(workDir, { ownerPid: process.pid });
  await writeFile(files.log4j, renderLog4j2Properties(o.logLevel));

  const jvm = (mainClass: string, heap: string, extra: string[] = []) => [
    `-Xmx${heap}`,
    // One GC thread and no concurrent phases: the broker shares two cores with the tests.
    '-XX:+UseSerialGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${files.log4j}`,
    ...extra,
    '-cp',
    join(jars.libDir, '*'),
    mainClass,
  ];

  let ports = { port: o.port, controllerPort: o.controllerPort };
  let startupMs = 0;

  const format = () =>
    formatStorage({
      java,
      // A one-shot tool: the quick JIT tier is all it needs.
      storageToolCommand: jvm(o.release.storageToolClass, '256m', ['-XX:TieredStopAtLevel=1']),
      propertiesFile: files.properties,
      dataDir: files.data,
      cwd: workDir,
    });

  /** Starts the JVM and waits; resolves the port another process holds if it could not bind. */
  const launch = async (): Promise<{ takenPort?: number }> => {
    const spawnedAt = Date.now();
    child = spawnBroker({
      java,
      args: [...jvm(o.release.mainClass, o.heap, [...o.jvmOptions]), files.properties],
      cwd: workDir,
      logFile: files.log,
      killAfterMs: o.stopTimeoutMs,
    });
    await writeOwner(workDir, { ownerPid: process.pid, brokerPid: child.pid });
    const current = child;
    const outcome = await waitForMetadata([`127.0.0.1:${ports.port}`], {
      timeoutMs: o.startTimeoutMs,
      hasExited: current.hasExited,
    });
    if (outcome === 'ready') {
      startupMs = Date.now() - spawnedAt;
      return {};
    }
    await current.stop({ timeoutMs: o.stopTimeoutMs, kill: true });
    const tail = await brokerLogTail(files.log);
    // Kafka logs "Socket server failed to bind to 127.0.0.1:<port>: Address already in use."
    const taken = /failed to bind to \S*:(\d+): Address already in use/.exec(tail);
    if (outcome === 'exited' && taken) return { takenPort: Number(taken[1]) };
    const where = `127.0.0.1:${ports.port}`;
    throw outcome === 'exited'
      ? new KafkaSetupError(
          KafkaSetupErrorCode.BrokerExited,
          `the Kafka broker on ${where} exited during start-up (${await current.exited}): ${lastErrorLine(tail)}`,
          { details: tail },
        )
      : new KafkaSetupError(
          KafkaSetupErrorCode.StartTimedOut,
          `the Kafka broker on ${where} did not serve metadata within ${o.startTimeoutMs} ms`,
          { details: tail },
        );
  };

  const firstStart = async () => {
    for (let attempt = 1; ; attempt++) {
      const [port = 0, controllerPort = 0] = await freePorts(2);
      ports = {
        port: o.port === 0 ? port : o.port,
        controllerPort: o.controllerPort === 0 ? controllerPort : o.controllerPort,
      };
      await writeFile(
        files.properties,
        renderServerProperties({
          dataDir: files.data,
          ...ports,
          defaults: o.defaults,
          overrides: o.serverProperties,
        }),
      );
      await writeFile(files.log, '');
      await format();
      const { takenPort } = await launch();
      if (takenPort === undefined) return;
      // Another process may take a free port between asking the OS and the JVM binding it:
      // pick new ones, unless the taken port is one the caller chose.
      const chosen = takenPort === o.port || takenPort === o.controllerPort;
      if (chosen || attempt >= 3) {
        throw new KafkaSetupError(
          KafkaSetupErrorCode.BrokerExited,
          `the Kafka broker could not listen on 127.0.0.1:${takenPort}: another process is using it`,
          { details: await brokerLogTail(files.log) },
        );
      }
    }
  };

  const close = async () => {
    if (!liveBrokers.has(entry)) return;
    if (paused && child && !child.hasExited()) process.kill(child.pid, 'SIGCONT');
    paused = false;
    await child?.stop({ timeoutMs: o.stopTimeoutMs });
    liveBrokers.delete(entry);
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    await firstStart();
  } catch (error) {
    await close();
    throw error;
  }
  o.log(
    `kafka: Kafka ${o.release.version} serving on 127.0.0.1:${ports.port} after ${startupMs} ms (log: ${files.log})`,
  );

  const broker: KafkaBroker = {
    brokers: [`127.0.0.1:${ports.port}`],
    version: o.release.version,
    workDir,
    logFile: files.log,
    get startupMs() {
      return startupMs;
    },
    isRunning: () => child !== undefined && !child.hasExited(),
    exited: () => child?.exited ?? Promise.resolve('never started'),
    async stop({ kill = false } = {}) {
      broker.resume();
      await child?.stop({ timeoutMs: o.stopTimeoutMs, kill });
    },
    pause() {
      if (!broker.isRunning()) throw new Error('the Kafka broker is not running');
      process.kill(child!.pid, 'SIGSTOP');
      paused = true;
    },
    resume() {
      if (!paused) return;
      paused = false;
      if (broker.isRunning()) process.kill(child!.pid, 'SIGCONT');
    },
    async start() {
      if (broker.isRunning()) return;
      if (!liveBrokers.has(entry) || !existsSync(files.data)) {
        throw new Error('this Kafka broker was closed; start a new one with startKafka()');
      }
      const { takenPort } = await launch();
      if (takenPort !== undefined) {
        throw new KafkaSetupError(
          KafkaSetupErrorCode.BrokerExited,
          `the Kafka broker could not listen on 127.0.0.1:${takenPort} again: another process took it`,
          { details: await brokerLogTail(files.log) },
        );
      }
    },
    async restart(stopOptions) {
      await broker.stop(stopOptions);
      await broker.start();
    },
    close,
  };
  return broker;
}
