import { canonicalJson } from '../canonical-json.js';
import { gatewayError } from '../errors.js';
import type { EventLog } from '../log/event-log.js';
import { CompatibilityMode } from './compatibility.js';
import { parseEventType } from './event-type-name.js';
import type { Registry } from './registry.js';
import type { SchemaVersionRecord } from './registry-records.js';
import type { ApplyOutcome, EventTypeDef, StreamDef } from './registry-state.js';
import { compileDataValidator, type JsonSchema } from './schema-validator.js';

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
  try {
    compileDataValidator(schema);
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
