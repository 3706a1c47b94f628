import type { LogDamage } from '../log/event-log.js';

/** What an operator sets to start on a damaged registry topic anyway. */
export const ACCEPT_REGISTRY_DAMAGE = 'GATEWAY_ACCEPT_REGISTRY_DAMAGE';

/**
 * The registry topic lost records to damage in the embedded log's files. Any lost record may be
 * a token revocation, and without it the revoked token works again; so the registry does not load
 * (fail closed) unless the operator accepts the loss. The message is the one line an operator
 * reads: which file, which offsets, and the two ways on.
 */
export class RegistryDamageError extends Error {
  constructor(
    readonly topic: string,
    readonly damage: readonly LogDamage[],
  ) {
    super(
      `the registry topic ${topic} is damaged: ${damage.map(describe).join('; ')}. ` +
        'A lost record may be a token revocation, so the gateway does not start. Restore the ' +
        'segment from a backup taken before the damage and move the file as found away, or set ' +
        `${ACCEPT_REGISTRY_DAMAGE}=1 to start without the lost records (/ready answers 503 ` +
        'until the file as found is moved away)',
    );
    this.name = 'RegistryDamageError';
  }
}

function describe(damage: LogDamage): string {
  const ranges = damage.lostOffsets.map(([first, last]) =>
    first === last ? `${first}` : `${first}-${last}`,
  );
  const offsets =
    ranges.length === 0
      ? 'records at unknown offsets'
      : `${ranges.length === 1 && !ranges[0]!.includes('-') ? 'offset' : 'offsets'} ${ranges.join(', ')}`;
  return (
    `${offsets} of partition ${damage.partition} lost in segment ${damage.segment} ` +
    `(file as found: ${damage.quarantinedAs})`
  );
}
