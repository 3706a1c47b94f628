/** What the fault tests share: a stream and event type of their own on a gateway. */
import { randomBytes } from 'node:crypto';
import { createStreamWithTypes, platformExample } from '../support/clients.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { TRANSPORTS } from '../support/clients.js';
import { publishLoop, type PublishLoop } from './publish-loop.js';
import {
  resumingSubscription,
  type ResumingSubscription,
  type SubscribeTarget,
} from './resuming-subscription.js';

export interface FaultStream {
  readonly stream: string;
  /** An event type registered on it with the `app.created` platform schema. */
  readonly type: string;
  /** Valid data for `type`. */
  data(): Record<string, unknown>;
}

/** Creates a fresh stream with one event type (names unique to this call). */
export async function createFaultStream(
  gateway: GatewayProcess,
  partitions = 3,
): Promise<FaultStream> {
  const tag = `f${randomBytes(4).toString('hex')}`;
  const stream = `${tag}-events`;
  const type = `${tag}.app.created`;
  await createStreamWithTypes(gateway, { name: stream, partitions }, { [type]: 'app.created' });
  return { stream, type, data: () => platformExample('app.created') };
}

/** The gateway as a subscriber or publisher reaches it (admin token). */
export function targetOf(gateway: GatewayProcess): SubscribeTarget {
  return { url: gateway.url, wsUrl: gateway.wsUrl, token: gateway.adminToken };
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

export interface TrafficOptions extends FaultStream {
  /** The gateway clients talk to now; they follow it when it changes. */
  readonly current: () => GatewayProcess;
  readonly idPrefix: string;
  /** How many of the first acknowledged publishes every subscription must have seen. */
  readonly seen: number;
  /** Where the traffic registers its own teardown. */
  readonly cleanup: (() => unknown)[];
}

/**
 * A subscription from earliest over every transport and a publish loop, both resuming on
 * whatever gateway `current()` is. Resolves once 30 publishes are acknowledged and every
 * subscription has received the first `seen` of them.
 */
export async function startTraffic(
  options: TrafficOptions,
): Promise<{ subscriptions: ResumingSubscription[]; publisher: PublishLoop }> {
  const { current, cleanup } = options;
  const subscriptions = TRANSPORTS.map((transport) =>
    resumingSubscription({
      transport,
      target: () => targetOf(current()),
      streams: [options.stream],
      from: { earliest: true },
    }),
  );
  cleanup.push(async () => subscriptions.forEach((s) => s.close()));
  const publisher = publishLoop({
    target: () => targetOf(current()),
    type: options.type,
    data: options.data,
    idPrefix: options.idPrefix,
  });
  cleanup.push(() => publisher.stop());
  await publisher.waitForAcks(30);
  const firstIds = publisher
    .acked()
    .slice(0, options.seen)
    .map((r) => r.id);
  await Promise.all(subscriptions.map((s) => s.waitForIds(firstIds)));
  return { subscriptions, publisher };
}
