import { gatewayError } from '../errors.js';
import type { EventLog, GroupOffsets, LogRecord, StartOffsets } from '../log/event-log.js';
import { LogError, LogErrorCode } from '../log/event-log.js';
import { deadLetterRecord, deadLetterStream } from './dead-letters.js';
import { GroupMember } from './group-member.js';
import { InstanceGroup, type InstanceGroupHost } from './instance-group.js';

export interface GroupServiceOptions<E> {
  readonly log: EventLog;
  /** Decodes a record of a stream (once per record, whatever the members). */
  readonly decode: (stream: string, record: LogRecord) => E;
  /** Makes sure the stream's dead-letter stream exists (created on first use). */
  readonly ensureDeadLetterStream: (stream: string) => Promise<void>;
  /** `GATEWAY_GROUP_MAX_DELIVERIES`: deliveries without an acknowledgement before an event is a dead letter. @default 5 */
  readonly maxDeliveries?: number;
  /** Records read ahead per partition before the partition's reading is held back. @default 1000 */
  readonly readAhead?: number;
  readonly logger?: { warn(object: object, message: string): void };
}

export const groupServiceDefaults = { maxDeliveries: 5, readAhead: 1000 } as const;

export interface ConsumeRequest<E> {
  /** The log's group name, tenant included (group-name.ts). */
  readonly groupId: string;
  readonly streams: readonly string[];
  /** Where partitions start when the group has no position yet. */
  readonly start: GroupOffsets;
  readonly otherwise: 'earliest' | 'latest';
  readonly maxUnacked: number;
  readonly accepts: (event: E) => boolean;
}

export interface PartitionLagInfo {
  readonly stream: string;
  readonly partition: number;
  readonly committedOffset: number | undefined;
  readonly lowOffset: number;
  readonly endOffset: number;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly streams: readonly string[];
  /** Members connected to this instance. */
  readonly members: number;
  readonly lag: readonly PartitionLagInfo[];
}

export interface GroupStats {
  readonly groups: readonly {
    readonly groupId: string;
    readonly members: number;
    /** Per partition held here: the committed position. */
    readonly held: readonly { stream: string; partition: number; committed: number }[];
  }[];
  readonly deadLetters: number;
  readonly redeliveries: number;
}

export interface GroupService<E> {
  /** Adds a member to the group on this instance, joining the log's group when it is the first. */
  consume(request: ConsumeRequest<E>): Promise<GroupMember<E>>;
  /** True once the position is committed; false when this instance does not hold the partition. */
  ack(groupId: string, stream: string, partition: number, offset: number): Promise<boolean>;
  /** Undefined when the group has neither a position nor a member here. */
  describe(groupId: string): Promise<GroupDescription | undefined>;
  /** Group names (log names) under `prefix`. */
  list(prefix: string): Promise<string[]>;
  /** Sets the group's positions; members here continue from them. CONFLICT while other instances hold members. */
  reset(groupId: string, streams: readonly string[], positions: GroupOffsets): Promise<void>;
  stats(): GroupStats;
  close(): Promise<void>;
}

/** Consumer groups on this instance (one InstanceGroup per group with members here). */
export function createGroupService<E>(options: GroupServiceOptions<E>): GroupService<E> {
  const { log } = options;
  const groups = new Map<string, InstanceGroup<E>>();
  const opening = new Map<string, Promise<InstanceGroup<E>>>();
  const ensured = new Map<string, Promise<void>>();
  const counters = { deadLetters: 0, redeliveries: 0 };
  const host: InstanceGroupHost<E> = {
    log,
    decode: options.decode,
    maxDeliveries: options.maxDeliveries ?? groupServiceDefaults.maxDeliveries,
    readAhead: options.readAhead ?? groupServiceDefaults.readAhead,
    counters,
    failures: new Map(),
    warn: (object, message) => options.logger?.warn(object, message),
    closed(group) {
      if (groups.get(group.id) === group) groups.delete(group.id);
    },
    async deadLetter(record, reason, group, deliveries) {
      const stream = record.topic;
      let ready = ensured.get(stream);
      if (!ready) {
        ready = options.ensureDeadLetterStream(stream);
        ensured.set(stream, ready);
        ready.catch(() => ensured.delete(stream));
      }
      await ready;
      await log.append(deadLetterStream(stream), [
        deadLetterRecord(record, { reason, group, deliveries }),
      ]);
    },
  };

  async function instanceGroup(request: ConsumeRequest<E>): Promise<InstanceGroup<E>> {
    for (;;) {
      const existing = groups.get(request.groupId);
      if (existing && !existing.isClosing) {
        const same =
          existing.streams.length === request.streams.length &&
          request.streams.every((stream) => existing.streams.includes(stream));
        if (!same) {
          throw gatewayError(
            'BAD_USER_INPUT',
            `consumer group reads streams [${existing.streams.join(', ')}]; its members must name the same streams`,
          );
        }
        return existing;
      }
      if (existing) {
        await existing.close();
        continue;
      }
      const pending = opening.get(request.groupId);
      if (pending) {
        await pending.catch(() => undefined);
        continue;
      }
      const group = new InstanceGroup<E>(request.groupId, [...request.streams].sort(), host);
      const open = group.open(request.start, request.otherwise).then(() => {
        groups.set(group.id, group);
        return group;
      });
      opening.set(request.groupId, open);
      try {
        return await open;
      } catch (error) {
        void group.close();
        throw error instanceof LogError ? unavailable(error) : error;
      } finally {
        opening.delete(request.groupId);
      }
    }
  }

  return {
    async consume(request) {
      const group = await instanceGroup(request);
      const member = new GroupMember<E>(request.maxUnacked, request.accepts);
      group.join(member);
      return member;
    },
    async ack(groupId, stream, partition, offset) {
      const group = groups.get(groupId);
      if (!group) return false;
      try {
        return await group.ack(stream, partition, offset);
      } catch (error) {
        throw error instanceof LogError ? unavailable(error) : error;
      }
    },
    async describe(groupId) {
      const local = groups.get(groupId);
      const committed = await log.groupOffsets(groupId);
      const streams = [...new Set([...(local?.streams ?? []), ...committed.keys()])].sort();
      if (streams.length === 0) return undefined;
      const lag: PartitionLagInfo[] = [];
      for (const stream of streams) {
        const ends = await log.offsets(stream).catch(() => []);
        for (const { partition, low, high } of ends) {
          lag.push({
            stream,
            partition,
            committedOffset: committed.get(stream)?.get(partition),
            lowOffset: low,
            endOffset: high,
          });
        }
      }
      return { groupId, streams, members: local?.members.length ?? 0, lag };
    },
    async list(prefix) {
      const names = new Set(await log.listGroups(prefix));
      for (const id of groups.keys()) if (id.startsWith(prefix)) names.add(id);
      return [...names].sort();
    },
    async reset(groupId, streams, positions) {
      const apply = async () => {
        for (const stream of streams) {
          const offsets: StartOffsets | undefined = positions.get(stream);
          if (offsets && offsets.size > 0) await log.setGroupOffsets(groupId, stream, offsets);
        }
      };
      const local = groups.get(groupId);
      try {
        if (local) await local.reposition(apply);
        else await apply();
      } catch (error) {
        if (error instanceof LogError && error.code === LogErrorCode.GroupActive) {
          throw gatewayError(
            'CONFLICT',
            'the consumer group has members on other gateway instances; its position can be reset only where all of its members are connected',
          );
        }
        throw error instanceof LogError ? unavailable(error) : error;
      }
    },
    stats() {
      return {
        groups: [...groups.values()].map((group) => ({
          groupId: group.id,
          members: group.members.length,
          held: group.heldPartitions().map((state) => ({
            stream: state.stream,
            partition: state.partition,
            committed: state.committed,
          })),
        })),
        deadLetters: counters.deadLetters,
        redeliveries: counters.redeliveries,
      };
    },
    async close() {
      await Promise.all([...groups.values()].map((group) => group.close()));
    },
  };
}

function unavailable(error: LogError) {
  return gatewayError('UNAVAILABLE', `the event log cannot be reached: ${error.message}`);
}
