import { can } from '../auth/grants.js';
import { gatewayError } from '../errors.js';
import { checkCursorRetained, decodeCursor, parseCursor, resumeStart } from '../events/cursor.js';
import type { StoredEvent } from '../events/envelope.js';
import type { EventFilterInput } from '../events/filter.js';
import { parseRfc3339 } from '../events/rfc3339.js';
import type { SubscriptionItem } from '../fanout/subscriber.js';
import type { GroupDescription } from '../groups/group-service.js';
import { assertGroupName, groupLogName, groupNameOf, groupPrefix } from '../groups/group-name.js';
import type { GroupOffsets, PartitionOffsets } from '../log/event-log.js';
import type { GatewayContext } from './context.js';
import {
  compileScopedFilter,
  MAX_SUBSCRIPTION_STREAMS,
  type StartPositionInput,
} from './event-subscription.js';

export interface ConsumeArgs {
  readonly group: string;
  readonly streams: readonly string[];
  readonly filter?: EventFilterInput | null;
  readonly from?: StartPositionInput | null;
  readonly maxUnacked?: number | null;
}

/** `maxUnacked` when the member gives none (shared/API.md). */
export const DEFAULT_MAX_UNACKED = 100;
/** The most a member may hold unacknowledged: what the instance keeps in memory for it. */
export const MAX_MAX_UNACKED = 10_000;

/** What `ConsumerGroup` resolves from. */
export interface ConsumerGroupNode {
  readonly name: string;
  readonly description: GroupDescription;
}

/**
 * Opens `consume`: checks the group name, the streams and the grants, compiles the filter with
 * the token's scope, and joins the group as a member on this instance.
 */
export async function openGroupSubscription(
  context: GatewayContext,
  args: ConsumeArgs,
): Promise<AsyncIterableIterator<SubscriptionItem<StoredEvent>>> {
  const { principal, services } = context;
  assertGroupName(args.group);
  const streams = checkStreams(context, args.streams, 'SUBSCRIBE');
  const maxUnacked = args.maxUnacked ?? DEFAULT_MAX_UNACKED;
  if (!Number.isInteger(maxUnacked) || maxUnacked < 1 || maxUnacked > MAX_MAX_UNACKED)
    throw gatewayError('BAD_USER_INPUT', `maxUnacked must be from 1 to ${MAX_MAX_UNACKED}`);
  const accepts = compileScopedFilter(context, streams, args.filter);
  const { start, otherwise } = await groupStart(context, streams, args.from ?? {});
  const member = await services.groups.consume({
    groupId: groupLogName(principal.tenant, args.group),
    streams,
    start,
    otherwise,
    maxUnacked,
    accepts,
  });
  let release: () => void;
  try {
    release = services.subscriptions.open(principal, member);
  } catch (error) {
    await member.return();
    throw error;
  }
  const signal = context.signal;
  const onAbort = () => member.end();
  signal?.addEventListener('abort', onAbort, { once: true });
  const cleanup = () => {
    release();
    signal?.removeEventListener('abort', onAbort);
  };
  return {
    async next() {
      const result = await member.next();
      if (result.done) cleanup();
      return result;
    },
    async return() {
      cleanup();
      return member.return();
    },
    async throw() {
      cleanup();
      return member.return();
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  } satisfies AsyncIterableIterator<SubscriptionItem<StoredEvent>>;
}

/** `ack`: the cursor of a consumed event names one partition of one stream and the offset after it. */
export async function ackEvent(
  context: GatewayContext,
  args: { group: string; cursor: string },
): Promise<boolean> {
  const { principal, services } = context;
  assertGroupName(args.group);
  const positions = parseCursor(args.cursor);
  const [entry] = [...positions];
  const [partitionEntry] = entry ? [...entry[1]] : [];
  if (!entry || positions.size !== 1 || entry[1].size !== 1 || !partitionEntry) {
    throw gatewayError('BAD_USER_INPUT', 'ack takes the cursor of an event delivered by consume');
  }
  const [stream] = entry;
  const [partition, next] = partitionEntry;
  if (!can(principal, 'SUBSCRIBE', stream)) throw forbidden(stream, 'SUBSCRIBE');
  if (next < 1)
    throw gatewayError('BAD_USER_INPUT', 'ack takes the cursor of an event delivered by consume');
  return services.groups.ack(
    groupLogName(principal.tenant, args.group),
    stream,
    partition,
    next - 1,
  );
}

/** `consumerGroup(name)`: null when the group has no position and no member here. */
export async function consumerGroup(
  context: GatewayContext,
  name: string,
): Promise<ConsumerGroupNode | null> {
  assertGroupName(name);
  const description = await context.services.groups.describe(
    groupLogName(context.principal.tenant, name),
  );
  if (!description) return null;
  for (const stream of description.streams) {
    if (!can(context.principal, 'SUBSCRIBE', stream)) throw forbidden(stream, 'SUBSCRIBE');
  }
  return { name, description };
}

/** `consumerGroups`: the token's tenant's groups whose every stream it may subscribe to. */
export async function consumerGroups(context: GatewayContext): Promise<ConsumerGroupNode[]> {
  const { principal, services } = context;
  const prefix = groupPrefix(principal.tenant);
  const found: ConsumerGroupNode[] = [];
  for (const logName of await services.groups.list(prefix)) {
    const name = groupNameOf(logName, prefix);
    if (name === undefined) continue;
    const description = await services.groups.describe(logName);
    if (!description) continue;
    if (description.streams.every((stream) => can(principal, 'SUBSCRIBE', stream)))
      found.push({ name, description });
  }
  return found;
}

/** `resetConsumerGroup`: MANAGE on every stream of the group. */
export async function resetConsumerGroup(
  context: GatewayContext,
  args: { group: string; to: StartPositionInput },
): Promise<ConsumerGroupNode> {
  const { principal, services } = context;
  assertGroupName(args.group);
  const groupId = groupLogName(principal.tenant, args.group);
  const before = await services.groups.describe(groupId);
  if (!before) throw gatewayError('NOT_FOUND', `consumer group "${args.group}" does not exist`);
  for (const stream of before.streams) {
    if (!can(principal, 'MANAGE', stream)) throw forbidden(stream, 'MANAGE');
  }
  const positions = await explicitPositions(context, before.streams, args.to);
  await services.groups.reset(groupId, before.streams, positions);
  const after = await services.groups.describe(groupId);
  return { name: args.group, description: after ?? before };
}

function forbidden(stream: string, operation: string) {
  return gatewayError(
    'FORBIDDEN',
    `this token may not ${operation.toLowerCase()} on stream "${stream}"`,
  );
}

function checkStreams(
  { principal, services }: GatewayContext,
  requested: readonly string[],
  operation: 'SUBSCRIBE',
): string[] {
  const streams = [...new Set(requested)].sort();
  if (streams.length === 0)
    throw gatewayError('BAD_USER_INPUT', 'streams must name at least one stream');
  if (streams.length > MAX_SUBSCRIPTION_STREAMS) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `a consumer group reads at most ${MAX_SUBSCRIPTION_STREAMS} streams`,
    );
  }
  for (const stream of streams) {
    if (!can(principal, operation, stream)) throw forbidden(stream, operation);
    if (!services.registry.state.streams.has(stream))
      throw gatewayError('NOT_FOUND', `stream "${stream}" does not exist`);
  }
  return streams;
}

/** Where a new group starts: explicit offsets for latest, time and cursors; earliest as such. */
async function groupStart(
  context: GatewayContext,
  streams: readonly string[],
  from: StartPositionInput,
): Promise<{ start: GroupOffsets; otherwise: 'earliest' | 'latest' }> {
  if (from.earliest) {
    assertOne(from);
    return { start: new Map(), otherwise: 'earliest' };
  }
  return { start: await explicitPositions(context, streams, from), otherwise: 'latest' };
}

function assertOne(from: StartPositionInput): void {
  const given = (['latest', 'earliest', 'after', 'time'] as const).filter(
    (k) => from[k] != null && from[k] !== false,
  );
  if (given.length > 1) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `a start position takes exactly one of latest, earliest, after, time; got ${given.join(', ')}`,
    );
  }
}

/** Per stream and partition, the offset a StartPosition names now. */
async function explicitPositions(
  { services }: GatewayContext,
  streams: readonly string[],
  from: StartPositionInput,
): Promise<GroupOffsets> {
  assertOne(from);
  const { log } = services;
  const marks = new Map<string, PartitionOffsets[]>(
    await Promise.all(streams.map(async (s) => [s, await log.offsets(s)] as const)),
  );
  if (from.after != null) {
    const positions = decodeCursor(from.after, streams);
    checkCursorRetained(positions, marks);
    return resumeStart(streams, positions, marks);
  }
  if (from.time != null) {
    const time = parseRfc3339(from.time);
    if (time === undefined)
      throw gatewayError('BAD_USER_INPUT', 'a start time must be an RFC 3339 date-time');
    return new Map(
      await Promise.all(streams.map(async (s) => [s, await log.offsetsForTime(s, time)] as const)),
    );
  }
  const edge = from.earliest ? 'low' : 'high';
  return new Map(
    streams.map((s) => [s, new Map(marks.get(s)!.map((p) => [p.partition, p[edge]]))]),
  );
}
