import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, describeConfig, loadConfig } from './config/index.js';
import { createGateway } from './http/create-gateway.js';
import { exitOnSignals } from './http/shutdown.js';
import { createEventLog } from './log/create-event-log.js';
import { createLogger } from './logger.js';

/**
 * `npm start`: the gateway as configured by the environment (shared/API.md). A bad setting stops
 * it with one line per variable; SIGTERM and SIGINT shut it down gracefully.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // A stray rejection (kafkajs leaves some behind while brokers come and go) must not take
  // every subscription down with the process; it is logged with its cause instead.
  process.on('unhandledRejection', (reason) =>
    logger.error({ err: reason }, 'unhandled rejection'),
  );
  logger.info({ config: describeConfig(config) }, 'starting');
  const adminToken = config.adminToken ?? (await generatedAdminToken(config.dataDir));
  const gateway = await createGateway({
    log: createEventLog(config, logger),
    logger,
    adminToken,
    port: config.port,
    host: config.host,
    limits: config.limits,
    fanout: config.fanout,
    groups: { maxDeliveries: config.groupMaxDeliveries },
    registryLimits: config.registryLimits,
    acceptRegistryDamage: config.acceptRegistryDamage,
    metricsToken: config.metricsToken,
    trustedProxies: config.edge.trustedProxies,
    operationLimits: { maxVariablesBytes: config.edge.maxVariablesBytes },
    filterLimits: { maxFilterBytes: config.edge.maxFilterBytes },
    connectionLimits: {
      maxPerToken: config.edge.maxWebSocketsPerToken,
      maxPerAddress: config.edge.maxWebSocketsPerAddress,
      idleTimeoutMs: config.edge.webSocketIdleTimeoutMs,
      pingIntervalMs: config.edge.webSocketPingIntervalMs,
      handshakeConcurrency: config.edge.webSocketHandshakeConcurrency,
    },
  });
  logger.info(
    { url: gateway.url, log: config.kafka ? 'kafka' : 'embedded' },
    `Streamgate is serving on ${gateway.url}/graphql`,
  );

  exitOnSignals({ logger, close: () => gateway.close() });
}

/** The admin token kept in the data directory; made and printed once, at first start. */
async function generatedAdminToken(dataDir: string): Promise<string> {
  const file = join(dataDir, 'admin-token');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const token = `sga_${randomBytes(32).toString('base64url')}`;
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    process.stdout.write(
      `\nNo GATEWAY_ADMIN_TOKEN was set, so one was generated and kept in ${file}.\n` +
        `Your admin token (shown this once):\n\n  ${token}\n\n`,
    );
    return token;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `streamgate failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
