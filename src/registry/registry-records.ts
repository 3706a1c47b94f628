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

export type RegistryRecord = StreamRecord | SchemaVersionRecord | TokenRecord | RevocationRecord;

/** The envelope written to the log: the record plus the id of the write that proposed it. */
export interface RegistryEntry {
  readonly writeId: string;
  readonly record: RegistryRecord;
}

const KINDS = new Set(['stream', 'schema', 'token', 'revocation']);

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
