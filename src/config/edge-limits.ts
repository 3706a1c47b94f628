import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import type { EnvReader } from './env-reader.js';
import { integer, shown } from './env-values.js';

/**
 * What protects the gateway from one client: where client addresses come from, WebSocket caps,
 * and byte limits on what an operation carries. Each field names its variable.
 */
export interface EdgeLimits {
  /**
   * `GATEWAY_TRUSTED_PROXIES`: comma-separated addresses and CIDR ranges of the proxies in front
   * of the gateway. Only from these is `X-Forwarded-For` believed; the client address it gives
   * is what the failed-auth throttle and the per-address WebSocket cap count by.
   * @default [] (the peer's address is the client's)
   */
  readonly trustedProxies: readonly string[];
  /** `MAX_WS_CONNECTIONS_PER_TOKEN`: open WebSockets per issued token, per instance. @default 100 */
  readonly maxWebSocketsPerToken: number;
  /** `MAX_WS_CONNECTIONS_PER_ADDRESS`: open WebSockets per client address, per instance. @default 1000 */
  readonly maxWebSocketsPerAddress: number;
  /** `WS_IDLE_TIMEOUT_MS`: close a WebSocket with no operation running this long; 0: never. @default 60000 */
  readonly webSocketIdleTimeoutMs: number;
  /** `WS_PING_INTERVAL_MS`: ping period; a socket that misses a pong is cut. @default 12000 */
  readonly webSocketPingIntervalMs: number;
  /** `WS_HANDSHAKE_CONCURRENCY`: WebSocket handshakes taken on at once; 0: no bound. @default 256 */
  readonly webSocketHandshakeConcurrency: number;
  /**
   * `MAX_VARIABLES_BYTES`: JSON size of the variables of a query or subscription (mutations
   * carry event data, bounded by `MAX_BATCH_BYTES`). @default 262144 (256 KiB)
   */
  readonly maxVariablesBytes: number;
  /**
   * `MAX_FILTER_BYTES`: JSON size of one subscription's `filter`, all operands together.
   * @default 65536 (64 KiB)
   */
  readonly maxFilterBytes: number;
}

export const EDGE_DEFAULTS = {
  maxWebSocketsPerToken: 100,
  maxWebSocketsPerAddress: 1000,
  webSocketIdleTimeoutMs: 60_000,
  webSocketPingIntervalMs: 12_000,
  webSocketHandshakeConcurrency: 256,
  maxVariablesBytes: 256 * 1024,
  maxFilterBytes: 64 * 1024,
} as const satisfies Omit<EdgeLimits, 'trustedProxies'>;

/** A comma-separated list of IP addresses and CIDR ranges. */
const addressRanges: z.ZodType<string[], string> = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine((entries) => entries.every(isAddressRange), {
    error: (issue) =>
      `expected IP addresses or CIDR ranges (10.0.0.0/8, fd00::/8), got ${shown(
        (issue.input as string[]).find((entry) => !isAddressRange(entry)),
      )}`,
  });

function isAddressRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const maxBits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
  if (maxBits === 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxBits);
}

export function readEdgeLimits(reader: EnvReader): EdgeLimits {
  return {
    trustedProxies: reader.read('GATEWAY_TRUSTED_PROXIES', addressRanges, []),
    maxWebSocketsPerToken: reader.read(
      'MAX_WS_CONNECTIONS_PER_TOKEN',
      integer(1),
      EDGE_DEFAULTS.maxWebSocketsPerToken,
    ),
    maxWebSocketsPerAddress: reader.read(
      'MAX_WS_CONNECTIONS_PER_ADDRESS',
      integer(1),
      EDGE_DEFAULTS.maxWebSocketsPerAddress,
    ),
    webSocketIdleTimeoutMs: reader.read(
      'WS_IDLE_TIMEOUT_MS',
      integer(0),
      EDGE_DEFAULTS.webSocketIdleTimeoutMs,
    ),
    webSocketPingIntervalMs: reader.read(
      'WS_PING_INTERVAL_MS',
      integer(1000),
      EDGE_DEFAULTS.webSocketPingIntervalMs,
    ),
    webSocketHandshakeConcurrency: reader.read(
      'WS_HANDSHAKE_CONCURRENCY',
      integer(0),
      EDGE_DEFAULTS.webSocketHandshakeConcurrency,
    ),
    maxVariablesBytes: reader.read(
      'MAX_VARIABLES_BYTES',
      integer(1024),
      EDGE_DEFAULTS.maxVariablesBytes,
    ),
    maxFilterBytes: reader.read('MAX_FILTER_BYTES', integer(256), EDGE_DEFAULTS.maxFilterBytes),
  };
}
