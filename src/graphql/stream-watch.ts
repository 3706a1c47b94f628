import type { Endable } from '../auth/subscription-tracker.js';
import { gatewayError } from '../errors.js';
import type { Registry } from '../registry/registry.js';

/** Open subscriptions by the streams they read, of one registry. */
type Watched = Map<string, Set<Endable>>;

const watches = new WeakMap<Registry, Watched>();

/**
 * Ends `subscription` with NOT_FOUND when one of its streams is deleted (deleteStream, on any
 * instance: the registry log brings it here). One registry listener serves every subscription.
 * Returns the release, to call when the subscription ends for another reason.
 */
export function endOnStreamDeletion(
  registry: Registry,
  streams: readonly string[],
  subscription: Endable,
): () => void {
  let watched = watches.get(registry);
  if (!watched) {
    const byStream: Watched = new Map();
    watched = byStream;
    watches.set(registry, byStream);
    registry.onChange((accepted) => {
      for (const record of accepted) {
        if (record.kind !== 'stream-deletion') continue;
        const error = gatewayError('NOT_FOUND', `stream "${record.name}" was deleted`);
        for (const open of [...(byStream.get(record.name) ?? [])]) open.end(error);
      }
    });
  }
  for (const stream of streams) {
    let open = watched.get(stream);
    if (!open) watched.set(stream, (open = new Set()));
    open.add(subscription);
  }
  const byStream = watched;
  return () => {
    for (const stream of streams) {
      const open = byStream.get(stream);
      open?.delete(subscription);
      if (open?.size === 0) byStream.delete(stream);
    }
  };
}
