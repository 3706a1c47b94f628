import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { gatewayError } from '../errors.js';
import type { EventLog, LogReader, RecordBatch } from '../log/event-log.js';
import { ACCEPT_REGISTRY_DAMAGE, RegistryDamageError } from './registry-damage.js';
import { parseRegistryEntry, type RegistryEntry, type RegistryRecord } from './registry-records.js';
import { defaultRegistryLimits, type RegistryLimits } from './registry-limits.js';
import { RegistryState, type ApplyOutcome } from './registry-state.js';

export interface RegistryOptions {
  readonly log: EventLog;
  /** The compacted topic holding the registry. @default '_streamgate.registry' */
  readonly topic?: string;
  /** Schema and registry size limits of registrations made here. @default defaultRegistryLimits */
  readonly limits?: Partial<RegistryLimits>;
  /** How long a write waits to read its own record back. @default 15000 */
  readonly writeTimeoutMs?: number;
  /**
   * Load the registry even when the log reports damage in its topic (records lost, perhaps a
   * revocation); otherwise `start` throws RegistryDamageError. @default false
   */
  readonly acceptDamage?: boolean;
  readonly logger?: {
    warn(obj: object, msg?: string): void;
    info(obj: object, msg?: string): void;
  };
}

export interface Registry {
  readonly state: RegistryState;
  /** The limits registrations through this instance are held to. */
  readonly limits: RegistryLimits;
  /** True once the registry topic has been read up to its end as it was at start. */
  readonly loaded: boolean;
  /** Milliseconds the initial load took. */
  readonly loadMs: number;
  /** Reads the registry topic up to its end, then follows it live. */
  start(): Promise<void>;
  close(): Promise<void>;
  /**
   * Appends a record and resolves once this instance has applied it, with the outcome every
   * instance reaches for it (log order settles conflicts).
   */
  write(record: RegistryRecord): Promise<ApplyOutcome>;
  /** Called after each batch of records is applied, with the records that were accepted. */
  onChange(listener: (accepted: readonly RegistryRecord[]) => void): () => void;
}

const DEFAULT_TOPIC = '_streamgate.registry';

export function createRegistry(options: RegistryOptions): Registry {
  const { log } = options;
  const topic = options.topic ?? DEFAULT_TOPIC;
  const writeTimeoutMs = options.writeTimeoutMs ?? 15_000;
  const state = new RegistryState();
  const waiting = new Map<string, (outcome: ApplyOutcome) => void>();
  const listeners = new Set<(accepted: readonly RegistryRecord[]) => void>();
  let reader: LogReader | undefined;
  let loaded = false;
  let loadMs = 0;

  function applyBatch(batch: RecordBatch): void {
    const accepted: RegistryRecord[] = [];
    for (const logRecord of batch.records) {
      const entry = parseRegistryEntry(logRecord.value);
      if (!entry) continue;
      const outcome = applyEntry(entry);
      if (outcome.accepted) accepted.push(entry.record);
      waiting.get(entry.writeId)?.(outcome);
      waiting.delete(entry.writeId);
    }
    for (const listener of listeners) listener(accepted);
  }

  function applyEntry(entry: RegistryEntry): ApplyOutcome {
    try {
      return state.apply(entry.record);
    } catch (error) {
      // A record an older or newer version wrote that this one cannot apply must not stop the
      // registry: every instance of this version skips it the same way.
      options.logger?.warn({ err: error, writeId: entry.writeId }, 'registry record skipped');
      return { accepted: false, code: 'BAD_USER_INPUT', message: (error as Error).message };
    }
  }

  async function start(): Promise<void> {
    const started = Date.now();
    const damage = log.damage().filter((found) => found.topic === topic);
    if (damage.length > 0 && !options.acceptDamage) throw new RegistryDamageError(topic, damage);
    if (damage.length > 0) {
      options.logger?.warn(
        { damage },
        `registry topic damaged; starting without the lost records (${ACCEPT_REGISTRY_DAMAGE})`,
      );
    }
    await log.createTopic({ name: topic, partitions: 1, compacted: true });
    const offsets = await log.offsets(topic);
    const end = offsets[0]?.high ?? 0;
    let reachedEnd!: () => void;
    const caughtUp = new Promise<void>((resolve) => (reachedEnd = resolve));
    if (end === 0) reachedEnd();
    reader = log.read({
      topic,
      otherwise: 'earliest',
      onBatch(batch) {
        applyBatch(batch);
        const last = batch.records[batch.records.length - 1];
        if (last && last.offset + 1 >= end) reachedEnd();
      },
    });
    reader.done.catch((error: unknown) => {
      options.logger?.warn({ err: error }, 'registry reader stopped');
    });
    await reader.ready;
    await caughtUp;
    loaded = true;
    loadMs = Date.now() - started;
  }

  async function write(record: RegistryRecord): Promise<ApplyOutcome> {
    const writeId = randomUUID();
    const entry: RegistryEntry = { writeId, record };
    let timer: NodeJS.Timeout | undefined;
    const applied = new Promise<ApplyOutcome>((resolve, reject) => {
      waiting.set(writeId, resolve);
      timer = setTimeout(() => {
        waiting.delete(writeId);
        reject(gatewayError('UNAVAILABLE', 'the registry write was not confirmed in time; retry'));
      }, writeTimeoutMs);
    });
    // The timeout may fire while append is still pending; keep that from counting as unhandled.
    applied.catch(() => undefined);
    try {
      await log.append(topic, [
        {
          key: recordKey(record),
          value: Buffer.from(JSON.stringify(entry)),
          headers: { 'content-type': 'application/json' },
        },
      ]);
      return await applied;
    } finally {
      clearTimeout(timer);
      waiting.delete(writeId);
    }
  }

  return {
    state,
    limits: { ...defaultRegistryLimits, ...options.limits },
    get loaded() {
      return loaded;
    },
    get loadMs() {
      return loadMs;
    },
    start,
    write,
    async close() {
      await reader?.close();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Entity plus content hash: compaction keeps both sides of a conflict, dedupes identical retries. */
function recordKey(record: RegistryRecord): string {
  const hash = createHash('sha256').update(canonicalJson(record)).digest('base64url').slice(0, 16);
  switch (record.kind) {
    case 'stream':
      return `stream:${record.name}:${hash}`;
    case 'schema':
      return `schema:${record.type}:${record.version}:${hash}`;
    case 'token':
      return `token:${record.id}`;
    case 'revocation':
      return `revocation:${record.id}`;
    case 'deprecation':
    case 'compatibility':
    case 'type-deletion':
      return `${record.kind}:${record.type}:${hash}`;
    case 'stream-deletion':
      return `${record.kind}:${record.name}:${hash}`;
  }
}
