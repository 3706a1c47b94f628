/**
 * Consumer groups of the embedded log. The log is single-node, so one coordinator in the
 * process plays Kafka's group coordinator: it spreads the partitions of a group's topics over
 * the group's readers (round-robin, in the order they joined) and keeps the committed positions
 * in `<dataDir>/groups/<base64url(group)>.json`, written whole (temporary file, then rename).
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LogError, LogErrorCode } from '../event-log.js';
import { readerLifecycle } from '../reader-lifecycle.js';
import type {
  GroupOffsets,
  GroupReader,
  GroupReadOptions,
  StartOffsets,
  TopicPartition,
} from '../event-log.js';
import type { ReadLimits } from './segment.js';
import type { TopicStore } from './topic-store.js';

interface GroupState {
  readonly name: string;
  readonly committed: Map<string, Map<number, number>>;
  readonly readers: EmbeddedGroupReader[];
  /** Writes of the positions file, one at a time. */
  saving: Promise<void>;
}

export class EmbeddedGroups {
  private readonly groups = new Map<string, GroupState>();
  private loading: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly topic: (name: string) => TopicStore | undefined,
    private readonly limits: ReadLimits,
  ) {}

  /** Reads every positions file once; later changes live in memory and are written through. */
  private load(): Promise<void> {
    this.loading ??= (async () => {
      await mkdir(this.dir, { recursive: true });
      for (const file of await readdir(this.dir)) {
        if (!file.endsWith('.json')) continue;
        const name = Buffer.from(file.slice(0, -'.json'.length), 'base64url').toString('utf8');
        const stored = JSON.parse(await readFile(join(this.dir, file), 'utf8')) as Record<
          string,
          Record<string, number>
        >;
        const committed = new Map(
          Object.entries(stored).map(([topic, offsets]) => [
            topic,
            new Map(Object.entries(offsets).map(([p, o]) => [Number(p), o])),
          ]),
        );
        this.groups.set(name, { name, committed, readers: [], saving: Promise.resolve() });
      }
    })();
    return this.loading;
  }

  private async group(name: string): Promise<GroupState> {
    await this.load();
    let group = this.groups.get(name);
    if (!group) {
      group = { name, committed: new Map(), readers: [], saving: Promise.resolve() };
      this.groups.set(name, group);
    }
    return group;
  }

  async offsets(name: string): Promise<GroupOffsets> {
    await this.load();
    const group = this.groups.get(name);
    return new Map(
      [...(group?.committed ?? [])].map(([topic, offsets]) => [topic, new Map(offsets)]),
    );
  }

  async list(prefix: string): Promise<string[]> {
    await this.load();
    return [...this.groups.values()]
      .filter((group) => group.name.startsWith(prefix) && group.committed.size > 0)
      .map((group) => group.name)
      .sort();
  }

  async setOffsets(name: string, topic: string, offsets: StartOffsets): Promise<void> {
    const group = await this.group(name);
    if (group.readers.length > 0) {
      throw new LogError(LogErrorCode.GroupActive, `group ${name} has active readers`);
    }
    const own = group.committed.get(topic) ?? new Map<number, number>();
    for (const [partition, offset] of offsets) own.set(partition, offset);
    group.committed.set(topic, own);
    await this.save(group);
  }

  read(options: GroupReadOptions): GroupReader {
    const reader = new EmbeddedGroupReader(options, this.limits, {
      commit: async (topic, partition, offset) => {
        const group = await this.group(options.group);
        if (!reader.holds(topic, partition)) return false;
        this.setCommitted(group, topic, partition, offset);
        await this.save(group);
        return true;
      },
      leave: async () => {
        const group = await this.group(options.group);
        const index = group.readers.indexOf(reader);
        if (index >= 0) group.readers.splice(index, 1);
        this.rebalance(group);
      },
    });
    void (async () => {
      const group = await this.group(options.group);
      // The group gets a position for every partition it has none for: the reader's start.
      let started = false;
      for (const name of options.topics) {
        const topic = this.topic(name);
        if (!topic) throw new LogError(LogErrorCode.UnknownTopic, `topic ${name} does not exist`);
        for (const partition of topic.partitions) {
          if (group.committed.get(name)?.has(partition.partition)) continue;
          const wanted =
            options.start?.get(name)?.get(partition.partition) ??
            (options.otherwise === 'earliest' ? partition.lowWatermark : partition.highWatermark);
          this.setCommitted(group, name, partition.partition, wanted);
          started = true;
        }
      }
      if (started) await this.save(group);
      if (reader.stopped) return;
      group.readers.push(reader);
      this.rebalance(group);
      reader.joined();
    })().catch((error: unknown) => reader.fail(error));
    return reader;
  }

  /** Round-robin of the partitions over the readers, each told what it now holds. */
  private rebalance(group: GroupState): void {
    const topics = [...new Set(group.readers.flatMap((reader) => reader.topics))].sort();
    const all: TopicPartition[] = topics.flatMap((name) =>
      (this.topic(name)?.partitions ?? []).map((p) => ({ topic: name, partition: p.partition })),
    );
    const shares = new Map(group.readers.map((reader) => [reader, [] as TopicPartition[]]));
    let next = 0;
    for (const tp of all) {
      // Only readers that read the partition's topic may hold it.
      for (let tries = 0; tries < group.readers.length; tries++) {
        const reader = group.readers[(next + tries) % group.readers.length]!;
        if (!reader.topics.includes(tp.topic)) continue;
        shares.get(reader)!.push(tp);
        next = (next + tries + 1) % group.readers.length;
        break;
      }
    }
    for (const [reader, share] of shares) {
      reader.assign(
        share,
        (tp) => group.committed.get(tp.topic)?.get(tp.partition) ?? 0,
        (name) => this.topic(name),
      );
    }
  }

  private setCommitted(group: GroupState, topic: string, partition: number, offset: number) {
    const own = group.committed.get(topic) ?? new Map<number, number>();
    own.set(partition, offset);
    group.committed.set(topic, own);
  }

  /** Writes the group's positions; each write holds them all, so the last one wins whole. */
  private save(group: GroupState): Promise<void> {
    const write = async () => {
      const body = Object.fromEntries(
        [...group.committed].map(([topic, offsets]) => [topic, Object.fromEntries(offsets)]),
      );
      const file = join(this.dir, `${Buffer.from(group.name, 'utf8').toString('base64url')}.json`);
      await writeFile(`${file}.tmp`, JSON.stringify(body));
      await rename(`${file}.tmp`, file);
    };
    group.saving = group.saving.then(write, write);
    return group.saving;
  }
}

interface GroupHost {
  commit(topic: string, partition: number, offset: number): Promise<boolean>;
  leave(): Promise<void>;
}

/** One reader of a group: one read loop per partition it holds. */
class EmbeddedGroupReader implements GroupReader {
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
  readonly topics: readonly string[];
  stopped = false;
  private readonly loops = new Map<string, { stop: () => void }>();
  private readonly lifecycle = readerLifecycle();
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly options: GroupReadOptions,
    private readonly limits: ReadLimits,
    private readonly host: GroupHost,
  ) {
    this.topics = [...new Set(options.topics)];
    this.ready = this.lifecycle.ready;
    this.done = this.lifecycle.done;
  }

  joined(): void {
    this.lifecycle.markReady();
  }

  holds(topic: string, partition: number): boolean {
    return !this.stopped && this.loops.has(key(topic, partition));
  }

  commit(topic: string, partition: number, offset: number): Promise<boolean> {
    if (!this.holds(topic, partition)) return Promise.resolve(false);
    return this.host.commit(topic, partition, offset);
  }

  /** Takes the coordinator's new share: stops what went, starts what came at its committed position. */
  assign(
    share: readonly TopicPartition[],
    committed: (tp: TopicPartition) => number,
    topicStore: (name: string) => TopicStore | undefined,
  ): void {
    if (this.stopped) return;
    const wanted = new Set(share.map((tp) => key(tp.topic, tp.partition)));
    for (const [k, loop] of this.loops) {
      if (!wanted.has(k)) {
        loop.stop();
        this.loops.delete(k);
      }
    }
    const added = share.filter((tp) => !this.loops.has(key(tp.topic, tp.partition)));
    for (const tp of added) this.loops.set(key(tp.topic, tp.partition), { stop: () => undefined });
    this.options.onAssigned(share);
    for (const tp of added) {
      const store = topicStore(tp.topic);
      if (store) this.startLoop(store, tp.partition, committed(tp));
    }
  }

  private startLoop(topic: TopicStore, partition: number, from: number): void {
    const k = key(topic.name, partition);
    let active = true;
    let wake: (() => void) | undefined;
    this.loops.set(k, {
      stop: () => {
        active = false;
        wake?.();
      },
    });
    const store = topic.partitions[partition]!;
    void (async () => {
      let position = from;
      while (active && !this.stopped) {
        const appended = topic.appended.next();
        if (Math.max(position, store.lowWatermark) >= store.highWatermark) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            void appended.then(resolve);
          });
          wake = undefined;
          continue;
        }
        const { records, next } = await store.read(position, this.limits);
        position = next;
        if (records.length === 0 || !active || this.stopped) continue;
        await this.options.onBatch({
          topic: topic.name,
          partition,
          records,
          highWatermark: store.highWatermark,
        });
      }
    })().catch((error: unknown) => {
      if (active && !this.stopped) void this.stop(error);
    });
  }

  fail(error: unknown): void {
    void this.stop(error);
  }

  close(): Promise<void> {
    return this.stop();
  }

  private stop(error?: unknown): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      for (const loop of this.loops.values()) loop.stop();
      this.loops.clear();
      await this.host.leave();
      this.lifecycle.end('group reader closed before ready', error);
    })();
    return this.stopping;
  }
}

function key(topic: string, partition: number): string {
  return `${partition}@${topic}`;
}
