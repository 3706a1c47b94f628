import { canonicalJson } from '../canonical-json.js';
import type { ErrorCode } from '../errors.js';
import { checkCompatibility, type CompatibilityMode } from './compatibility.js';
import { parseEventType, graphqlTypeName, findNameClash } from './event-type-name.js';
import type {
  RegistryRecord,
  RevocationRecord,
  SchemaVersionRecord,
  StreamRecord,
  TokenRecord,
} from './registry-records.js';
import type { JsonSchema } from './schema-validator.js';

export interface StreamDef {
  readonly name: string;
  readonly partitions: number;
  readonly retentionHours: number | null;
  readonly description: string | null;
  readonly owner: string;
  readonly createdAt: string;
}

export interface SchemaVersionDef {
  readonly version: number;
  readonly schema: JsonSchema;
  /** canonicalJson(schema), to tell an identical re-registration. */
  readonly canonical: string;
  readonly compatibility: CompatibilityMode;
  readonly createdAt: string;
}

export interface EventTypeDef {
  readonly type: string;
  readonly stream: string;
  readonly resourceType: string;
  readonly action: string;
  readonly graphqlName: string;
  readonly owner: string;
  description: string | null;
  compatibility: CompatibilityMode;
  /** Oldest first; versions[n - 1].version === n. */
  readonly versions: SchemaVersionDef[];
}

export interface TokenDef {
  /** The auth layer's token fields. */
  readonly token: Readonly<Record<string, unknown>>;
  revokedAt: string | null;
}

export type ApplyOutcome =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly code: ErrorCode; readonly message: string; readonly extensions?: Record<string, unknown> };

const ACCEPTED: ApplyOutcome = { accepted: true };

function refused(code: ErrorCode, message: string, extensions?: Record<string, unknown>): ApplyOutcome {
  return extensions ? { accepted: false, code, message, extensions } : { accepted: false, code, message };
}

/**
 * The registry as every instance computes it from the registry topic. `apply` is deterministic:
 * the same records in the same order give the same state everywhere, and a record that conflicts
 * with what came before it is refused (first wins).
 */
export class RegistryState {
  readonly streams = new Map<string, StreamDef>();
  readonly eventTypes = new Map<string, EventTypeDef>();
  readonly tokens = new Map<string, TokenDef>();
  /** Bumped on every accepted record that changes what the GraphQL schema shows. */
  schemaRevision = 0;
  private readonly graphqlNames = new Map<string, string>();

  apply(record: RegistryRecord): ApplyOutcome {
    switch (record.kind) {
      case 'stream':
        return this.applyStream(record);
      case 'schema':
        return this.applySchema(record);
      case 'token':
        return this.applyToken(record);
      case 'revocation':
        return this.applyRevocation(record);
    }
  }

  private applyStream(record: StreamRecord): ApplyOutcome {
    const existing = this.streams.get(record.name);
    if (existing) {
      return sameStreamSettings(existing, record)
        ? ACCEPTED
        : refused('CONFLICT', `stream "${record.name}" already exists with other settings`);
    }
    this.streams.set(record.name, {
      name: record.name,
      partitions: record.partitions,
      retentionHours: record.retentionHours,
      description: record.description,
      owner: record.owner,
      createdAt: record.createdAt,
    });
    this.schemaRevision++;
    return ACCEPTED;
  }

  private applySchema(record: SchemaVersionRecord): ApplyOutcome {
    if (!this.streams.has(record.stream)) {
      return refused('NOT_FOUND', `stream "${record.stream}" does not exist`);
    }
    const mode = record.compatibility as CompatibilityMode;
    const canonical = canonicalJson(record.schema);
    const existing = this.eventTypes.get(record.type);
    if (!existing) {
      if (record.version !== 1) return refused('CONFLICT', `event type "${record.type}" changed meanwhile; retry`);
      const graphqlName = graphqlTypeName(record.type);
      const clash = findNameClash(record.type, this.graphqlNames);
      if (clash) return refused('CONFLICT', clash);
      const { resourceType, action } = parseEventType(record.type);
      this.eventTypes.set(record.type, {
        type: record.type,
        stream: record.stream,
        resourceType,
        action,
        graphqlName,
        owner: record.owner,
        description: record.description,
        compatibility: mode,
        versions: [{ version: 1, schema: record.schema, canonical, compatibility: mode, createdAt: record.createdAt }],
      });
      this.graphqlNames.set(graphqlName, record.type);
      this.schemaRevision++;
      return ACCEPTED;
    }
    if (existing.stream !== record.stream) {
      return refused('CONFLICT', `event type "${record.type}" belongs to stream "${existing.stream}"`);
    }
    const latest = existing.versions[existing.versions.length - 1]!;
    if (latest.canonical === canonical) return ACCEPTED;
    if (record.version !== latest.version + 1) {
      return refused('CONFLICT', `event type "${record.type}" changed meanwhile (now at version ${latest.version}); retry`);
    }
    const changes = checkCompatibility(
      mode,
      record.schema,
      existing.versions.map((v) => v.schema),
    );
    if (changes.length > 0) {
      const summary = changes.map((c) => `${c.change} at ${c.path}`).join('; ');
      return refused('INCOMPATIBLE_SCHEMA', `the schema is not ${mode} compatible: ${summary}`, { changes });
    }
    existing.versions.push({
      version: record.version,
      schema: record.schema,
      canonical,
      compatibility: mode,
      createdAt: record.createdAt,
    });
    existing.compatibility = mode;
    if (record.description !== null) existing.description = record.description;
    this.schemaRevision++;
    return ACCEPTED;
  }

  private applyToken(record: TokenRecord): ApplyOutcome {
    if (this.tokens.has(record.id)) return refused('CONFLICT', `token id "${record.id}" is taken`);
    this.tokens.set(record.id, { token: record.token, revokedAt: null });
    return ACCEPTED;
  }

  private applyRevocation(record: RevocationRecord): ApplyOutcome {
    const token = this.tokens.get(record.id);
    if (!token) return refused('NOT_FOUND', `token "${record.id}" does not exist`);
    token.revokedAt ??= record.revokedAt;
    return ACCEPTED;
  }
}

function sameStreamSettings(a: StreamDef, b: StreamRecord): boolean {
  return a.partitions === b.partitions && a.retentionHours === b.retentionHours;
}
