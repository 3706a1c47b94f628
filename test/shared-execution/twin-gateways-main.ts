/**
 * Two gateways in one process over one embedded log: one executes once per group, the other
 * executes every subscription alone. Run by twin-gateways.ts as a child process (the gateway
 * and its GraphQL libraries run as they do in production, outside the test runner's module
 * graph). Talks over IPC: sends `{ ready }` once serving, answers `{ stats }` requests.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createGateway } from '../../src/http/create-gateway.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import type { EventLog } from '../../src/log/event-log.js';

const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-shared-'));
const log = createEmbeddedLog({ dataDir, fsync: 'never' });
const adminToken = `admin-${randomBytes(12).toString('hex')}`;
const common = { logger: pino({ level: 'warn' }), adminToken, port: 0, host: '127.0.0.1' };
const shared = await createGateway({ ...common, log: keptOpen(log), sharedExecution: true });
const alone = await createGateway({ ...common, log: keptOpen(log), sharedExecution: false });

process.on('message', (message: { id: number; stats?: true }) => {
  process.send!({ id: message.id, stats: shared.sharedExecution!.stats() });
});
process.on('disconnect', () => {
  void (async () => {
    await Promise.all([shared.close(), alone.close()]);
    await log.close();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  })();
});
process.send!({ ready: { shared: shared.url, alone: alone.url, adminToken } });

/** The log, with `close` left to this script: each gateway closes its log when it closes. */
function keptOpen(target: EventLog): EventLog {
  return new Proxy(target, {
    get(inner, property) {
      if (property === 'close') return async () => undefined;
      const value: unknown = Reflect.get(inner, property, inner);
      return typeof value === 'function' ? value.bind(inner) : value;
    },
  });
}
