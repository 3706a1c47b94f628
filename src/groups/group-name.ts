import { gatewayError } from '../errors.js';

/** No dots: the tenant before the group may hold some, so the group is what follows the last one. */
const GROUP_NAME = /^[A-Za-z0-9_-]{1,100}$/;

/** Throws BAD_USER_INPUT unless `name` is a valid consumer group name. */
export function assertGroupName(name: string): void {
  if (!GROUP_NAME.test(name)) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `invalid consumer group name "${name.slice(0, 100)}": letters, digits, '_' and '-', at most 100 characters`,
    );
  }
}

/** The log's prefix of a tenant's groups (`_` for tokens without a tenant). */
export function groupPrefix(tenant: string | null): string {
  return `streamgate.${tenant ?? '_'}.`;
}

/**
 * The log's name of a group, `streamgate.<tenant or _>.<group>` (Kafka puts KAFKA_PREFIX in
 * front): the same name under another tenant is another group.
 */
export function groupLogName(tenant: string | null, group: string): string {
  return groupPrefix(tenant) + group;
}

/** The group name of a log name under `prefix`, or undefined when it belongs to a longer tenant. */
export function groupNameOf(logName: string, prefix: string): string | undefined {
  const rest = logName.slice(prefix.length);
  return logName.startsWith(prefix) && GROUP_NAME.test(rest) ? rest : undefined;
}
