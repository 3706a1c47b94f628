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
    server.listen(port, host, () => {
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
