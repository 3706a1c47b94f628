import { canonicalJson } from '../canonical-json.js';
import { gatewayError } from '../errors.js';
import type { EventLog } from '../log/event-log.js';
import { CompatibilityMode } from './compatibility.js';
import { parseEventType } from './event-type-name.js';
import type { Registry } from './registry.js';
import type { SchemaVersionRecord } from './registry-records.js';
import { assertRoomForEventType, assertSchemaWithinLimits } from './registry-limits.js';
import type { ApplyOutcome, EventTypeDef, StreamDef } from './registry-state.js';
import { checkSchemaCompiles } from './schema-check.js';
import type { JsonSchema } from './schema-validator.js';

export interface CreateStreamInput {
  readonly name: string;
  readonly partitions?: number | null;
  readonly retentionHours?: number | null;
  readonly description?: string | null;
}

export interface RegisterEventTypeInput {
  readonly type: string;
  readonly stream: string;
  readonly schema: unknown;
  readonly compatibility?: CompatibilityMode | null;
  readonly description?: string | null;
}

/** Defaults of new streams. */
export const streamDefaults = {
  /** @default 3 */
  partitions: 3,
  /** Kafka's own default retention. @default 168 */
  retentionHours: 168,
  /** @default 1000 */
  maxPartitions: 1000,
} as const;

const STREAM_NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/;

/** Throws BAD_USER_INPUT unless `name` is a valid stream name. */
export function assertStreamName(name: string): void {
  if (name.length > 100 || !STREAM_NAME.test(name)) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `invalid stream name "${name.slice(0, 100)}": lower-case letters, digits, '-' and '.' separated segments, starting with a letter, at most 100 characters`,
    );
  }
}

function throwIfRefused(outcome: ApplyOutcome): void {
  if (!outcome.accepted) throw gatewayError(outcome.code, outcome.message, outcome.extensions);
}

/**
 * Creates a stream and its topic. Creating it again with the same settings returns it; with other
 * settings it is a CONFLICT. A topic that already exists (made outside the gateway) is adopted
 * when its partition count matches or none was asked for.
 */
export async function createStream(
  registry: Registry,
  log: EventLog,
  input: CreateStreamInput,
  owner: string,
): Promise<StreamDef> {
  assertStreamName(input.name);
  const partitions = input.partitions ?? undefined;
  if (
    partitions !== undefined &&
    (!Number.isInteger(partitions) || partitions < 1 || partitions > streamDefaults.maxPartitions)
  ) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `partitions must be from 1 to ${streamDefaults.maxPartitions}`,
    );
  }
  const retentionHours =
    input.retentionHours === undefined ? streamDefaults.retentionHours : input.retentionHours;
  if (retentionHours !== null && (!Number.isInteger(retentionHours) || retentionHours < 1)) {
    throw gatewayError(
      'BAD_USER_INPUT',
      'retentionHours must be a positive whole number, or null to keep events forever',
    );
  }
  const existing = registry.state.streams.get(input.name);
  if (existing) {
    if (
      (partitions === undefined || partitions === existing.partitions) &&
      retentionHours === existing.retentionHours
    ) {
      return existing;
    }
    throw gatewayError('CONFLICT', `stream "${input.name}" already exists with other settings`);
  }
  const wanted = partitions ?? streamDefaults.partitions;
  await log.createTopic({
    name: input.name,
    partitions: wanted,
    retentionMs: retentionHours === null ? -1 : retentionHours * 3_600_000,
  });
  const topic = await log.describeTopic(input.name);
  const actual = topic?.partitions ?? wanted;
  if (partitions !== undefined && actual !== partitions) {
    throw gatewayError(
      'CONFLICT',
      `topic "${input.name}" already exists with ${actual} partitions`,
    );
  }
  throwIfRefused(
    await registry.write({
      kind: 'stream',
      name: input.name,
      partitions: actual,
      retentionHours,
      description: input.description ?? null,
      owner,
      createdAt: new Date().toISOString(),
    }),
  );
  return registry.state.streams.get(input.name)!;
}

/**
 * Registers an event type, or a new schema version of it when the schema passes the type's
 * compatibility mode. The same schema again is a no-op that returns the current version.
 */
export async function registerEventType(
  registry: Registry,
  input: RegisterEventTypeInput,
  owner: string,
): Promise<EventTypeDef> {
  try {
    parseEventType(input.type);
  } catch (error) {
    throw gatewayError('BAD_USER_INPUT', (error as Error).message);
  }
  if (input.compatibility != null && !CompatibilityMode.includes(input.compatibility)) {
    throw gatewayError('BAD_USER_INPUT', `unknown compatibility "${String(input.compatibility)}"`);
  }
  const schema = input.schema as JsonSchema;
  // Before anything walks or compiles it: a huge schema costs every instance memory and time.
  assertSchemaWithinLimits(schema, registry.limits);
  try {
    // On a worker thread: compiling takes longer than the event loop may be held.
    await checkSchemaCompiles(schema);
  } catch (error) {
    throw gatewayError('BAD_USER_INPUT', (error as Error).message);
  }
  if (!registry.state.streams.has(input.stream)) {
    throw gatewayError('NOT_FOUND', `stream "${input.stream}" does not exist`);
  }
  const existing = registry.state.eventTypes.get(input.type);
  if (existing) {
    if (existing.stream !== input.stream) {
      throw gatewayError(
        'CONFLICT',
        `event type "${input.type}" belongs to stream "${existing.stream}"`,
      );
    }
    const latest = existing.versions[existing.versions.length - 1]!;
    if (latest.canonical === canonicalJson(schema)) return existing;
  }
  if (!existing) assertRoomForEventType(registry.state, input.stream, registry.limits);
  const version = existing ? existing.versions.length + 1 : 1;
  const record: SchemaVersionRecord = {
    kind: 'schema',
    type: input.type,
    stream: input.stream,
    version,
    schema,
    compatibility: input.compatibility ?? existing?.compatibility ?? 'BACKWARD',
    description: input.description ?? null,
    owner,
    createdAt: new Date().toISOString(),
  };
  // A record that cannot be accepted now (incompatible, a GraphQL name clash) is refused before
  // it reaches the log: every instance would refuse it anyway, and the compacted topic keeps it.
  throwIfRefused(registry.state.check(record));
  throwIfRefused(await registry.write(record));
  return registry.state.eventTypes.get(input.type)!;
}

function lifecycleStamp(by: string): { by: string; at: string } {
  return { by, at: new Date().toISOString() };
}

function existingType(registry: Registry, type: string): EventTypeDef {
  const existing = registry.state.eventTypes.get(type);
  if (!existing) throw gatewayError('NOT_FOUND', `event type "${type}" does not exist`);
  return existing;
}

/** The longest deprecation reason: it is shown in every publish result and in the schema. */
export const MAX_DEPRECATION_REASON = 500;

/**
 * Deprecates an event type on every instance: its `PublishInput` field becomes @deprecated with
 * `reason`, every publish of it answers with a warning, and `EventType.deprecationReason` says
 * why. Publishing and subscribing keep working. Deprecating again replaces the reason.
 */
export async function deprecateEventType(
  registry: Registry,
  type: string,
  reason: string,
  by: string,
): Promise<EventTypeDef> {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_DEPRECATION_REASON) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `reason must be 1 to ${MAX_DEPRECATION_REASON} characters, saying what to use instead`,
    );
  }
  const existing = existingType(registry, type);
  if (existing.deprecationReason === trimmed) return existing;
  const record = { kind: 'deprecation', type, reason: trimmed, ...lifecycleStamp(by) } as const;
  throwIfRefused(registry.state.check(record));
  throwIfRefused(await registry.write(record));
  return existingType(registry, type);
}

/**
 * Changes the mode the type's next versions are checked against, without a new version; the
 * versions already registered stay as they are.
 */
export async function setCompatibility(
  registry: Registry,
  type: string,
  compatibility: CompatibilityMode,
  by: string,
): Promise<EventTypeDef> {
  if (!CompatibilityMode.includes(compatibility)) {
    throw gatewayError('BAD_USER_INPUT', `unknown compatibility "${String(compatibility)}"`);
  }
  const existing = existingType(registry, type);
  if (existing.compatibility === compatibility) return existing;
  const record = { kind: 'compatibility', type, compatibility, ...lifecycleStamp(by) } as const;
  throwIfRefused(registry.state.check(record));
  throwIfRefused(await registry.write(record));
  return existingType(registry, type);
}

/**
 * Deletes an event type and its versions on every instance. Its events stay in the stream and
 * arrive as `UntypedEvent` from then on; publishing it answers NOT_FOUND. Registering the type
 * again starts at version 1.
 */
export async function deleteEventType(registry: Registry, type: string, by: string): Promise<true> {
  existingType(registry, type);
  const record = { kind: 'type-deletion', type, ...lifecycleStamp(by) } as const;
  throwIfRefused(registry.state.check(record));
  throwIfRefused(await registry.write(record));
  return true;
}

/**
 * Deletes a stream and every event type of it from the registry, on every instance: it can no
 * longer be published to or subscribed to, and open subscriptions on it end with NOT_FOUND. The
 * topic and its events are kept: removing data is the Kafka operator's act (retention, or
 * deleting the topic with Kafka's tools). Creating the stream again adopts the topic.
 */
export async function deleteStream(registry: Registry, name: string, by: string): Promise<true> {
  if (!registry.state.streams.has(name)) {
    throw gatewayError('NOT_FOUND', `stream "${name}" does not exist`);
  }
  const record = { kind: 'stream-deletion', name, ...lifecycleStamp(by) } as const;
  throwIfRefused(registry.state.check(record));
  throwIfRefused(await registry.write(record));
  return true;
}
