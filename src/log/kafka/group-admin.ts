import type { Admin } from 'kafkajs';
import { LogError, LogErrorCode, type GroupOffsets, type StartOffsets } from '../event-log.js';
import { toLogError } from './errors.js';
import type { TopicNames } from './topic-names.js';

/** Look-ups and changes of consumer groups' committed offsets; names in and out are port names. */
export interface KafkaGroupAdmin {
  /** Committed offsets of `groupId` (a Kafka group id) for `topics`, or for every topic it has. */
  committed(groupId: string, topics?: readonly string[]): Promise<GroupOffsets>;
  /** Port group names (unprefixed) of the cluster's groups that start with `prefix`. */
  list(prefix: string): Promise<string[]>;
  set(groupId: string, topic: string, offsets: StartOffsets): Promise<void>;
}

/**
 * Group administration on an admin client of its own: every kafkajs admin call replaces the
 * client's cached metadata (see admin.ts), so its calls run one at a time and apart from the
 * topic admin's.
 */
export function createKafkaGroupAdmin(admin: Admin, names: TopicNames): KafkaGroupAdmin {
  let queue: Promise<unknown> = Promise.resolve();
  let connected: Promise<void> | undefined;
  function serial<T>(context: string, call: () => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      try {
        connected ??= admin.connect().catch((error: unknown) => {
          connected = undefined;
          throw error;
        });
        await connected;
        return await call();
      } catch (error) {
        throw toLogError(error, context);
      }
    });
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    committed(groupId, topics) {
      return serial(`offsets of group ${groupId}`, async () => {
        const answer = await admin.fetchOffsets({
          groupId,
          ...(topics ? { topics: topics.map((topic) => names.toKafka(topic)) } : {}),
        });
        const result = new Map<string, Map<number, number>>();
        for (const { topic, partitions } of answer) {
          const name = names.fromKafka(topic);
          if (name === undefined) continue;
          const own = new Map<number, number>();
          for (const { partition, offset } of partitions) {
            if (Number(offset) >= 0) own.set(partition, Number(offset));
          }
          if (own.size > 0) result.set(name, own);
        }
        return result;
      });
    },
    list(prefix) {
      return serial('list consumer groups', async () => {
        const full = names.groupId(prefix);
        const { groups } = await admin.listGroups();
        return groups
          .map((group) => group.groupId)
          .filter((id) => id.startsWith(full))
          .map((id) => id.slice(full.length - prefix.length))
          .sort();
      });
    },
    set(groupId, topic, offsets) {
      return serial(`set offsets of group ${groupId}`, async () => {
        const [description] = (await admin.describeGroups([groupId])).groups;
        if (description && description.members.length > 0) {
          throw new LogError(LogErrorCode.GroupActive, `group ${groupId} has active members`);
        }
        await admin.setOffsets({
          groupId,
          topic: names.toKafka(topic),
          partitions: [...offsets].map(([partition, offset]) => ({
            partition,
            offset: String(offset),
          })),
        });
      });
    },
  };
}
