import type { WebSocket } from 'ws';

/**
 * How the gateway closes a WebSocket it will not keep, beside graphql-ws's own `CloseCode`s.
 * Reasons stay under 123 bytes, as a close frame requires.
 */
export const ConnectionCloseCode = {
  /** Over the cap of sockets per token or per client address (IANA "Try Again Later"). */
  TooManyConnections: 1013,
  /** Authenticated, but no operation ran on it for the idle timeout; the client reconnects when it needs to. */
  Idle: 1000,
} as const;

/** Caps on WebSocket connections, against one client holding every file descriptor. */
export interface ConnectionLimitsOptions {
  /**
   * `MAX_WS_CONNECTIONS_PER_TOKEN`: open WebSockets one issued token may hold on this instance
   * (the admin token is not capped). One socket carries any number of subscriptions.
   * @default 100
   */
  readonly maxPerToken: number;
  /**
   * `MAX_WS_CONNECTIONS_PER_ADDRESS`: open WebSockets from one client address (IPv6 per /64),
   * counted from the upgrade, before any token is seen. Behind a proxy, set
   * `GATEWAY_TRUSTED_PROXIES`, or every client shares the proxy's address.
   * @default 1000
   */
  readonly maxPerAddress: number;
  /**
   * `WS_IDLE_TIMEOUT_MS`: an authenticated socket with no operation running for this long is
   * closed (`ConnectionCloseCode.Idle`); 0 keeps idle sockets open. @default 60000
   */
  readonly idleTimeoutMs: number;
  /**
   * `WS_PING_INTERVAL_MS`: every socket is pinged this often, and cut when it has not answered
   * by the next ping (a peer that vanished without closing). @default 12000
   */
  readonly pingIntervalMs: number;
  /**
   * `WS_HANDSHAKE_CONCURRENCY`: WebSocket handshakes taken on at once, from the upgrade to the
   * first operation (at most a second each); more wait their turn in arrival order, so a
   * reconnect storm is served in order instead of all at once (handshake-gate.ts). 0: no bound.
   * @default 256
   */
  readonly handshakeConcurrency: number;
}

export const defaultConnectionLimits: ConnectionLimitsOptions = Object.freeze({
  maxPerToken: 100,
  maxPerAddress: 1000,
  idleTimeoutMs: 60_000,
  pingIntervalMs: 12_000,
  handshakeConcurrency: 256,
});

/** Counts sockets per client address and per token, and closes authenticated idle ones. */
export interface ConnectionLimits {
  /** At the upgrade: false (and the socket closed) when its address holds the most allowed. */
  admitAddress(socket: WebSocket, addressKey: string): boolean;
  /**
   * At `connection_init`, once the token is known: false (and the socket closed) when the
   * token holds the most allowed. `busy` tells whether an operation runs on the socket now.
   */
  admitToken(socket: WebSocket, tokenId: string | undefined, busy: () => boolean): boolean;
  /** The socket now belongs to another token (renewal over the socket); never refused. */
  moveToken(socket: WebSocket, tokenId: string | undefined): void;
  /** Sockets open now per token id, for tests and metrics. */
  socketsOf(tokenId: string): number;
  close(): void;
}

interface Held {
  readonly addressKey: string;
  tokenId: string | undefined;
  busy: (() => boolean) | undefined;
  lastBusyAt: number;
}

export function createConnectionLimits(
  options: Partial<ConnectionLimitsOptions> = {},
  now: () => number = Date.now,
): ConnectionLimits {
  const { maxPerToken, maxPerAddress, idleTimeoutMs } = { ...defaultConnectionLimits, ...options };
  const held = new Map<WebSocket, Held>();
  const perAddress = new Map<string, number>();
  const perToken = new Map<string, number>();
  const adjust = (counts: Map<string, number>, key: string, delta: 1 | -1) => {
    const count = (counts.get(key) ?? 0) + delta;
    if (count > 0) counts.set(key, count);
    else counts.delete(key);
  };

  // One sweep for every socket rather than a timer each: 20,000 timers cost more than a loop.
  const sweep =
    idleTimeoutMs > 0
      ? setInterval(
          () => {
            const at = now();
            for (const [socket, entry] of held) {
              if (!entry.busy) continue; // not authenticated yet: graphql-ws times that out
              if (entry.busy()) entry.lastBusyAt = at;
              else if (at - entry.lastBusyAt >= idleTimeoutMs) {
                socket.close(ConnectionCloseCode.Idle, 'Idle timeout');
              }
            }
          },
          Math.max(100, Math.min(idleTimeoutMs / 4, 5000)),
        )
      : undefined;
  sweep?.unref();

  return {
    admitAddress(socket, addressKey) {
      if ((perAddress.get(addressKey) ?? 0) >= maxPerAddress) {
        socket.close(
          ConnectionCloseCode.TooManyConnections,
          'Too many connections from your address',
        );
        return false;
      }
      adjust(perAddress, addressKey, 1);
      const entry: Held = { addressKey, tokenId: undefined, busy: undefined, lastBusyAt: now() };
      held.set(socket, entry);
      socket.once('close', () => {
        held.delete(socket);
        adjust(perAddress, entry.addressKey, -1);
        if (entry.tokenId !== undefined) adjust(perToken, entry.tokenId, -1);
      });
      return true;
    },
    admitToken(socket, tokenId, busy) {
      const entry = held.get(socket);
      if (!entry) return false; // closed meanwhile
      if (tokenId !== undefined && (perToken.get(tokenId) ?? 0) >= maxPerToken) {
        socket.close(ConnectionCloseCode.TooManyConnections, 'Too many connections for this token');
        return false;
      }
      entry.busy = busy;
      entry.lastBusyAt = now();
      entry.tokenId = tokenId;
      if (tokenId !== undefined) adjust(perToken, tokenId, 1);
      return true;
    },
    moveToken(socket, tokenId) {
      const entry = held.get(socket);
      if (!entry || entry.tokenId === tokenId) return;
      if (entry.tokenId !== undefined) adjust(perToken, entry.tokenId, -1);
      entry.tokenId = tokenId;
      if (tokenId !== undefined) adjust(perToken, tokenId, 1);
    },
    socketsOf: (tokenId) => perToken.get(tokenId) ?? 0,
    close() {
      if (sweep) clearInterval(sweep);
    },
  };
}
