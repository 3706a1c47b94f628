/** What the fault tests share: a stream and event type of their own on a gateway. */
import { randomBytes } from 'node:crypto';
import { createStreamWithTypes, platformExample } from '../support/clients.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import type { SubscribeTarget } from './resuming-subscription.js';

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
