/**
 * A consumer-group member for the benchmarks: one graphql-ws socket that consumes a group and
 * acknowledges every event at once, noting when each event arrived (and from which partition)
 * and each ack's round trip. `vanish()` destroys its TCP socket without a close handshake, as a
 * crashed client or a dropped connection does.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { GatewayProcess } from '../test/support/gateway-process.js';

export interface Delivery {
  readonly at: number;
  readonly partition: number;
}

export interface BenchMember {
  readonly received: () => number;
  /** When its first event arrived (performance.now()), if one did. */
  readonly firstAt: () => number | undefined;
  /** Leaves the group gracefully (completes the subscription, closes the socket). */
  close(): Promise<void>;
  /** Destroys the socket: no complete, no close frame. */
  vanish(): void;
}

export function startMember(
  gateway: GatewayProcess,
  group: string,
  stream: string,
  sink: { deliveries?: Delivery[]; ackMs?: number[] },
): BenchMember {
  let socket: WebSocket | undefined;
  class Tracked extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      socket = this;
    }
  }
  const client = createClient({
    url: gateway.wsUrl,
    webSocketImpl: Tracked,
    connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  let received = 0;
  let firstAt: number | undefined;
  const ack = (cursor: string) => {
    const started = performance.now();
    client.subscribe(
      {
        query: 'mutation($g: String!, $c: String!) { ack(group: $g, cursor: $c) }',
        variables: { g: group, c: cursor },
      },
      {
        next: () => undefined,
        error: () => undefined,
        complete: () => sink.ackMs?.push(performance.now() - started),
      },
    );
  };
  client.subscribe<{ consume: { cursor: string; partition: number } }>(
    {
      query:
        'subscription($g: String!, $s: [String!]!) { consume(group: $g, streams: $s, from: { earliest: true }) { cursor partition } }',
      variables: { g: group, s: [stream] },
    },
    {
      next: (result) => {
        if (!result.data) return;
        received++;
        firstAt ??= performance.now();
        sink.deliveries?.push({ at: performance.now(), partition: result.data.consume.partition });
        ack(result.data.consume.cursor);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return {
    received: () => received,
    firstAt: () => firstAt,
    close: async () => {
      await client.dispose();
    },
    vanish: () => {
      // ws keeps the TCP socket in `_socket`; destroying it sends no close frame.
      (socket as unknown as { _socket?: { destroy(): void } })?._socket?.destroy();
    },
  };
}
