import type { JsonSchema } from './schema-validator.js';

/**
 * The records of the registry topic (`_streamgate.registry`). Every instance applies them in log
 * order with the same rules, so every instance converges on the same registry; the first record
 * wins a conflict. Keys carry a hash of the content so that compaction keeps both sides of a
 * conflict (and the first still wins after compaction) while an identical retry shares its key.
 */
export interface StreamRecord {
  readonly kind: 'stream';
  readonly name: string;
  readonly partitions: number;
  readonly retentionHours: number | null;
  readonly description: string | null;
  readonly owner: string;
  readonly createdAt: string;
}

export interface SchemaVersionRecord {
  readonly kind: 'schema';
  readonly type: string;
  readonly stream: string;
  readonly version: number;
  readonly schema: JsonSchema;
  readonly compatibility: string;
  readonly description: string | null;
  readonly owner: string;
  readonly createdAt: string;
}

/**
 * A token as stored: the auth layer owns its fields (an id, a hash of the secret, never the
 * secret); the registry only keeps it in log order and by id.
 */
export interface TokenRecord {
  readonly kind: 'token';
  readonly id: string;
  readonly token: Readonly<Record<string, unknown>>;
}

export interface RevocationRecord {
  readonly kind: 'revocation';
  readonly id: string;
  readonly revokedBy: string;
  readonly revokedAt: string;
}

/** Lifecycle (shared/API.md "Lifecycle"): who asked and when, for the audit trail the log is. */
interface LifecycleFields {
  readonly by: string;
  readonly at: string;
}

/** Marks an event type deprecated: @deprecated on its publish field, a warning when published. */
export interface DeprecationRecord extends LifecycleFields {
  readonly kind: 'deprecation';
  readonly type: string;
  readonly reason: string;
}

/** Changes an event type's compatibility mode for its next versions; no new version. */
export interface CompatibilityRecord extends LifecycleFields {
  readonly kind: 'compatibility';
  readonly type: string;
  readonly compatibility: string;
}

/** Removes an event type and its versions; its events arrive as UntypedEvent from then on. */
export interface TypeDeletionRecord extends LifecycleFields {
  readonly kind: 'type-deletion';
  readonly type: string;
}

/** Removes a stream and its event types from the registry (the topic and its events stay). */
export interface StreamDeletionRecord extends LifecycleFields {
  readonly kind: 'stream-deletion';
  readonly name: string;
}

export type LifecycleRecord =
  DeprecationRecord | CompatibilityRecord | TypeDeletionRecord | StreamDeletionRecord;

export type RegistryRecord =
  StreamRecord | SchemaVersionRecord | TokenRecord | RevocationRecord | LifecycleRecord;

/** The envelope written to the log: the record plus the id of the write that proposed it. */
export interface RegistryEntry {
  readonly writeId: string;
  readonly record: RegistryRecord;
}

const KINDS = new Set([
  'stream',
  'schema',
  'token',
  'revocation',
  'deprecation',
  'compatibility',
  'type-deletion',
  'stream-deletion',
]);

/** Parses a registry record value; undefined for values this version does not understand. */
export function parseRegistryEntry(value: Buffer | null): RegistryEntry | undefined {
  if (!value) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { writeId, record } = parsed as { writeId?: unknown; record?: { kind?: unknown } };
  if (typeof writeId !== 'string' || typeof record !== 'object' || record === null)
    return undefined;
  if (typeof record.kind !== 'string' || !KINDS.has(record.kind)) return undefined;
  return parsed as RegistryEntry;
}
