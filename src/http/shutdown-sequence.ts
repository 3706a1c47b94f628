import type { Server } from 'node:http';
import type { StoredEvent } from '../events/envelope.js';
import type { Fanout } from '../fanout/fanout.js';
import type { EventLog } from '../log/event-log.js';
import type { Logger } from '../logger.js';
import type { Registry } from '../registry/registry.js';
import type { Drain } from './shutdown.js';

/** The parts a gateway stops, in the order `shutDownGateway` stops them. */
export interface ShutdownParts {
  readonly server: Server;
  readonly drain: Drain;
  readonly fanout: Fanout<StoredEvent>;
  /** Consumer groups: their members end like subscriptions, and the instance leaves each group. */
  readonly groups?: { close(): Promise<void> };
  readonly webSockets: { close(): Promise<void> };
  readonly tokenExpiry: { close(): void };
  readonly registry: Registry;
  /** Stops following the registry with the GraphQL schema. */
  readonly schemas: { close(): void };
  readonly log: EventLog;
  readonly logger: Logger;
  /** How long each wait (publishes, subscriptions, open answers) lasts before it cuts what is left. */
  readonly drainTimeoutMs: number;
}

/**
 * Stops a gateway gracefully: nothing new is accepted, every publish under way is answered,
 * subscriptions end with `complete` (clients resume from their cursors elsewhere), then the
 * connections, the registry and the log close.
 */
export async function shutDownGateway(parts: ShutdownParts): Promise<void> {
  const { server, drain, logger, drainTimeoutMs } = parts;
  // Stop accepting: readiness fails, new connections and new publishes are refused.
  drain.begin();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Every publish under way is answered (written or not), so no client is left guessing.
  if (!(await drain.publishesSettled(drainTimeoutMs)))
    logger.warn({ publishes: drain.publishes }, 'publishes still under way at shutdown');
  // Subscriptions end without an error: graphql-ws sends `complete`, SSE its `complete`
  // event; clients resume from their last cursor on another instance.
  await Promise.all([parts.fanout.close(), parts.groups?.close()]);
  if (!(await drain.subscriptionsEnded(drainTimeoutMs)))
    logger.warn({ subscriptions: drain.subscriptions }, 'subscriptions still open at shutdown');
  await parts.webSockets.close();
  // Only now: a token expiring while subscriptions drain still ends them.
  parts.tokenExpiry.close();
  await closeConnections(server, closed, drainTimeoutMs);
  parts.schemas.close();
  await parts.registry.close();
  await parts.log.close();
}

/** Lets answers under way finish on their connections, closing them as they go idle; then cuts the rest. */
async function closeConnections(
  server: Server,
  closed: Promise<void>,
  graceMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([closed, deadline]);
  clearInterval(idleSweep);
  clearTimeout(timer);
  server.closeAllConnections();
  await closed;
}
