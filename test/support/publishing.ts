/**
 * A publisher that keeps going: release after release of a few apps (so the events spread over
 * the partitions), to whichever gateway is current, while a test moves its clients around.
 */
import { randomUUID } from 'node:crypto';
import { platformExample, publishJson, type PublishJsonInput } from './clients.js';
import type { GatewayProcess } from './gateway-process.js';
import { waitFor } from './wait-for.js';

const apps = Array.from({ length: 8 }, () => randomUUID());

/** Release `version` of one of eight apps, so the sequence spreads over the partitions. */
export const release = (version: number): PublishJsonInput => ({
  type: 'release.created',
  resourceId: apps[version % apps.length]!,
  data: platformExample('release.created', { version, description: `Deploy v${version}` }),
});

/**
 * Publishes release after release, one at a time, to whichever gateway `target()` names; while
 * it names none, waits for one. Keeps the ids in publish order.
 */
export function startPublishing(target: () => GatewayProcess | undefined) {
  const published: string[] = [];
  let stopped = false;
  let version = 1;
  let inFlight: Promise<unknown> = Promise.resolve();
  const done = (async () => {
    while (!stopped) {
      const gateway = target();
      if (!gateway) {
        await waitFor(() => stopped || target() !== undefined, {
          timeoutMs: 120_000,
          what: 'a gateway to publish to',
        });
        continue;
      }
      const publishing = publishJson(gateway, release(version++));
      inFlight = publishing;
      published.push((await publishing).id);
    }
  })();
  return {
    published,
    /** Resolves once `count` more events than now have been published. */
    more(count: number) {
      const goal = published.length + count;
      return waitFor(() => published.length >= goal, {
        timeoutMs: 60_000,
        what: `${count} more events published`,
      });
    },
    /** Resolves when the publish under way (if any) has finished; call after `target()` changed. */
    settled: () => inFlight.then(() => undefined),
    async stop() {
      stopped = true;
      await done;
      return published;
    },
  };
}
