import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';

/** Binds the server and resolves with the `http://host:port` clients reach it on. */
export async function listen(
  server: Server,
  port: number,
  host: string,
  logger: Logger,
): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A reconnect storm brings thousands of connections in the same second: a longer accept
    // queue than Node's 511 holds them (the kernel caps it at net.core.somaxconn) instead of
    // dropping their SYNs, which clients retry only after 1, 3, 7... seconds.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Once listening, errors are accept failures (EMFILE under a connection flood): they pass, and
  // without a listener they would crash the process.
  server.on('error', (error) => logger.error({ err: error }, 'HTTP server error'));
  const address = server.address() as AddressInfo;
  const bound = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const reachable = bound === '0.0.0.0' || bound === '[::]' ? '127.0.0.1' : bound;
  return `http://${reachable}:${address.port}`;
}
