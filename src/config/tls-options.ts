import type { ConnectionOptions } from 'node:tls';
import type { KafkaTlsConfig } from './gateway-config.js';

/**
 * Node TLS options for the Kafka client (kafkajs takes them as its `ssl` option).
 *
 * Without `verifyHostname` the broker's chain is still verified against `ca`; only the match
 * between the certificate's names and the host dialled is skipped (Heroku's brokers are reached
 * by addresses their certificates do not name). That is far narrower than turning
 * `rejectUnauthorized` off, which accepts any certificate at all.
 */
export function tlsConnectionOptions(ssl: KafkaTlsConfig): ConnectionOptions {
  return {
    ...(ssl.ca === undefined ? {} : { ca: ssl.ca }),
    ...(ssl.cert === undefined ? {} : { cert: ssl.cert }),
    ...(ssl.key === undefined ? {} : { key: ssl.key }),
    rejectUnauthorized: ssl.rejectUnauthorized,
    ...(ssl.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
  };
}
