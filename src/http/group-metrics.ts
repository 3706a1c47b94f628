import { Counter, Gauge, type Registry } from 'prom-client';
import type { GroupService } from '../groups/group-service.js';
import type { EventLog } from '../log/event-log.js';

/**
 * Consumer-group gauges, read at scrape time: members per group on this instance, and the lag
 * of each partition this instance holds for a group (so summing over instances counts each
 * partition once).
 */
export function registerGroupMetrics(
  registry: Registry,
  groups: Pick<GroupService<unknown>, 'stats'>,
  log: EventLog,
): void {
  new Gauge({
    name: 'streamgate_group_members',
    help: 'Consumer group members connected to this instance, per group.',
    labelNames: ['group'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const group of groups.stats().groups) this.set({ group: group.groupId }, group.members);
    },
  });
  new Gauge({
    name: 'streamgate_group_partitions',
    help: 'Partitions this instance holds for a consumer group (the log balances them over instances).',
    labelNames: ['group'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const group of groups.stats().groups)
        this.set({ group: group.groupId }, group.held.length);
    },
  });
  new Gauge({
    name: 'streamgate_group_lag_records',
    help: "Records between a consumer group's committed position and the log end, per partition this instance holds.",
    labelNames: ['group', 'stream', 'partition'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const ends = new Map<string, Map<number, number>>();
      for (const group of groups.stats().groups) {
        const committed = await log.groupOffsets(group.groupId).catch(() => undefined);
        for (const held of group.held) {
          let streamEnds = ends.get(held.stream);
          if (!streamEnds) {
            const offsets = await log.offsets(held.stream).catch(() => []);
            streamEnds = new Map(offsets.map((o) => [o.partition, o.high]));
            ends.set(held.stream, streamEnds);
          }
          const end = streamEnds.get(held.partition);
          const position = committed?.get(held.stream)?.get(held.partition);
          if (end === undefined || position === undefined) continue;
          this.set(
            { group: group.groupId, stream: held.stream, partition: String(held.partition) },
            Math.max(0, end - position),
          );
        }
      }
    },
  });
  new Counter({
    name: 'streamgate_group_dead_letters_total',
    help: 'Events written to a dead-letter stream after too many deliveries without an acknowledgement.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(groups.stats().deadLetters);
    },
  });
  new Counter({
    name: 'streamgate_group_redeliveries_total',
    help: 'Unacknowledged events given back by a member that left, to go to another member.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(groups.stats().redeliveries);
    },
  });
}
