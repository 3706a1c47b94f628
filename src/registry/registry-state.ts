import { canonicalJson } from '../canonical-json.js';
import type { ErrorCode } from '../errors.js';
import { checkCompatibility, CompatibilityMode } from './compatibility.js';
import {
  eventTypeGraphqlNames,
  graphqlTypeName,
  parseEventType,
  RESERVED_GRAPHQL_NAMES,
} from './event-type-name.js';
import { buildEventTypeModel } from './graphql-model/build-model.js';
import { modelTypeNames } from './graphql-model/model-names.js';
import type { EventTypeGraphqlModel } from './graphql-model/model-types.js';
import type {
  CompatibilityRecord,
  DeprecationRecord,
  RegistryRecord,
  StreamDeletionRecord,
  TypeDeletionRecord,
  RevocationRecord,
  SchemaVersionRecord,
  StreamRecord,
  TokenRecord,
} from './registry-records.js';
import type { JsonSchema } from './schema-validator.js';

/** A stream as the registry holds it: the fields of its record. */
export type StreamDef = Omit<StreamRecord, 'kind'>;

export interface SchemaVersionDef {
  readonly version: number;
  readonly schema: JsonSchema;
  /**
   * canonicalJson(schema), to tell an identical re-registration: computed when first asked (a
   * starting instance applies thousands of versions and compares few).
   */
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
  /** Set by deprecateEventType; null while the type is not deprecated. */
  deprecationReason: string | null;
  /** The GraphQL model of the latest version (built when it was accepted, kept for the schema). */
  graphqlModel: EventTypeGraphqlModel;
}

export interface TokenDef {
  /** The auth layer's token fields. */
  readonly token: Readonly<Record<string, unknown>>;
  revokedAt: string | null;
}

export type ApplyOutcome =
  | { readonly accepted: true }
  | {
      readonly accepted: false;
      readonly code: ErrorCode;
      readonly message: string;
      readonly extensions?: Record<string, unknown>;
    };

const ACCEPTED: ApplyOutcome = { accepted: true };

function refused(
  code: ErrorCode,
  message: string,
  extensions?: Record<string, unknown>,
): ApplyOutcome {
  return extensions
    ? { accepted: false, code, message, extensions }
    : { accepted: false, code, message };
}

/** The outcome a record would have, and how to apply it when accepted (split so `check` can dry-run). */
interface Evaluation {
  readonly outcome: ApplyOutcome;
  readonly commit?: () => void;
}

const refusal = (
  code: ErrorCode,
  message: string,
  extensions?: Record<string, unknown>,
): Evaluation => ({
  outcome: refused(code, message, extensions),
});

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
  /**
   * Every GraphQL type name the latest schema of each event type puts into the GraphQL schema
   * (its event object, data, inputs and the nested objects and enums of its JSON Schema) → that
   * event type. A record whose names clash is refused here, so building the GraphQL schema from
   * an accepted registry never fails on a duplicate name.
   */
  private readonly graphqlNames = new Map<string, string>();
  /** The names each event type holds in `graphqlNames`, to release them for its next version. */
  private readonly graphqlNamesByType = new Map<string, readonly string[]>();

  apply(record: RegistryRecord): ApplyOutcome {
    const { outcome, commit } = this.evaluate(record);
    commit?.();
    return outcome;
  }

  /**
   * The outcome `apply` would give `record` now, changing nothing: a command refuses a record
   * that cannot win before writing it. Log order still decides when two writes race.
   */
  check(record: RegistryRecord): ApplyOutcome {
    return this.evaluate(record).outcome;
  }

  private evaluate(record: RegistryRecord): Evaluation {
    switch (record.kind) {
      case 'stream':
        return this.evaluateStream(record);
      case 'schema':
        return this.evaluateSchema(record);
      case 'token':
        return this.evaluateToken(record);
      case 'revocation':
        return this.evaluateRevocation(record);
      case 'deprecation':
        return this.evaluateDeprecation(record);
      case 'compatibility':
        return this.evaluateCompatibilityChange(record);
      case 'type-deletion':
        return this.evaluateTypeDeletion(record);
      case 'stream-deletion':
        return this.evaluateStreamDeletion(record);
    }
  }

  private existingType(type: string): EventTypeDef | Evaluation {
    const existing = this.eventTypes.get(type);
    return existing ?? refusal('NOT_FOUND', `event type "${type}" does not exist`);
  }

  private evaluateDeprecation(record: DeprecationRecord): Evaluation {
    const existing = this.existingType(record.type);
    if ('outcome' in existing) return existing;
    if (existing.deprecationReason === record.reason) return { outcome: ACCEPTED };
    return {
      outcome: ACCEPTED,
      commit: () => {
        existing.deprecationReason = record.reason;
        this.schemaRevision++;
      },
    };
  }

  private evaluateCompatibilityChange(record: CompatibilityRecord): Evaluation {
    const existing = this.existingType(record.type);
    if ('outcome' in existing) return existing;
    const mode = record.compatibility as CompatibilityMode;
    if (!CompatibilityMode.includes(mode)) {
      return refusal('BAD_USER_INPUT', `unknown compatibility "${record.compatibility}"`);
    }
    // Judges the next version only: versions already accepted stay, whatever the new mode.
    return { outcome: ACCEPTED, commit: () => (existing.compatibility = mode) };
  }

  private evaluateTypeDeletion(record: TypeDeletionRecord): Evaluation {
    const existing = this.existingType(record.type);
    if ('outcome' in existing) return existing;
    return { outcome: ACCEPTED, commit: () => this.removeType(record.type) };
  }

  private evaluateStreamDeletion(record: StreamDeletionRecord): Evaluation {
    if (!this.streams.has(record.name)) {
      return refusal('NOT_FOUND', `stream "${record.name}" does not exist`);
    }
    return {
      outcome: ACCEPTED,
      commit: () => {
        for (const eventType of [...this.eventTypes.values()]) {
          if (eventType.stream === record.name) this.removeType(eventType.type);
        }
        this.streams.delete(record.name);
        this.schemaRevision++;
      },
    };
  }

  private removeType(type: string): void {
    this.eventTypes.delete(type);
    for (const name of this.graphqlNamesByType.get(type) ?? []) this.graphqlNames.delete(name);
    this.graphqlNamesByType.delete(type);
    this.schemaRevision++;
  }

  private evaluateStream(record: StreamRecord): Evaluation {
    const existing = this.streams.get(record.name);
    if (existing) {
      return sameStreamSettings(existing, record)
        ? { outcome: ACCEPTED }
        : refusal(
            'CONFLICT',
            `stream "${record.name}" already exists with other settings (${existing.partitions} partitions, ` +
              `retention ${existing.retentionHours === null ? 'forever' : `${existing.retentionHours} hours`})`,
          );
    }
    return {
      outcome: ACCEPTED,
      commit: () => {
        this.streams.set(record.name, {
          name: record.name,
          partitions: record.partitions,
          retentionHours: record.retentionHours,
          description: record.description,
          owner: record.owner,
          createdAt: record.createdAt,
        });
        this.schemaRevision++;
      },
    };
  }

  private evaluateSchema(record: SchemaVersionRecord): Evaluation {
    if (!this.streams.has(record.stream)) {
      return refusal('NOT_FOUND', `stream "${record.stream}" does not exist`);
    }
    const mode = record.compatibility as CompatibilityMode;
    const existing = this.eventTypes.get(record.type);
    if (!existing) {
      if (record.version !== 1)
        return refusal('CONFLICT', `event type "${record.type}" changed meanwhile; retry`);
      const names = this.graphqlNamesOf(record.type, record.schema);
      if ('refused' in names) return names.refused;
      const { resourceType, action } = parseEventType(record.type);
      const model = names.model;
      return {
        outcome: ACCEPTED,
        commit: () => {
          this.eventTypes.set(record.type, {
            type: record.type,
            stream: record.stream,
            resourceType,
            action,
            graphqlName: graphqlTypeName(record.type),
            owner: record.owner,
            description: record.description,
            compatibility: mode,
            versions: [versionDef(1, record.schema, mode, record.createdAt)],
            deprecationReason: null,
            graphqlModel: model,
          });
          this.holdGraphqlNames(record.type, names.names);
          this.schemaRevision++;
        },
      };
    }
    if (existing.stream !== record.stream) {
      return refusal(
        'CONFLICT',
        `event type "${record.type}" belongs to stream "${existing.stream}"`,
      );
    }
    const latest = existing.versions[existing.versions.length - 1]!;
    if (latest.canonical === canonicalJson(record.schema)) return { outcome: ACCEPTED };
    if (record.version !== latest.version + 1) {
      return refusal(
        'CONFLICT',
        `event type "${record.type}" changed meanwhile (now at version ${latest.version}); retry`,
      );
    }
    const changes = checkCompatibility(
      mode,
      record.schema,
      existing.versions.map((v) => v.schema),
    );
    if (changes.length > 0) {
      const summary = changes.map((c) => `${c.change} at ${c.path}`).join('; ');
      return refusal('INCOMPATIBLE_SCHEMA', `the schema is not ${mode} compatible: ${summary}`, {
        changes,
      });
    }
    const names = this.graphqlNamesOf(record.type, record.schema);
    if ('refused' in names) return names.refused;
    return {
      outcome: ACCEPTED,
      commit: () => {
        existing.versions.push(versionDef(record.version, record.schema, mode, record.createdAt));
        existing.compatibility = mode;
        existing.graphqlModel = names.model;
        if (record.description !== null) existing.description = record.description;
        this.holdGraphqlNames(record.type, names.names);
        this.schemaRevision++;
      },
    };
  }

  /**
   * The GraphQL type names `type` needs with `schema` as its latest version, or the CONFLICT
   * that refuses it: a model that cannot be built, or a name reserved by the gateway schema or
   * held by another event type (`app.created_data.region` is `AppCreatedDataRegion`, the type of
   * the `region` object of `app.created`'s data).
   */
  private graphqlNamesOf(
    type: string,
    schema: JsonSchema,
  ):
    | { readonly names: readonly string[]; readonly model: EventTypeGraphqlModel }
    | { readonly refused: Evaluation } {
    let names: string[];
    let model: EventTypeGraphqlModel;
    try {
      model = buildEventTypeModel(type, schema);
      names = modelTypeNames(model);
    } catch (error) {
      return {
        refused: refusal(
          'CONFLICT',
          `event type "${type}": no GraphQL types can be built from its schema (${(error as Error).message})`,
        ),
      };
    }
    for (const name of names) {
      if (RESERVED_GRAPHQL_NAMES.has(name)) {
        return {
          refused: refusal(
            'CONFLICT',
            `event type "${type}" needs the GraphQL type "${name}" (${graphqlNameRole(type, name)}), ` +
              'a name of the gateway schema itself; register it under another type name',
            { graphqlName: name },
          ),
        };
      }
      const holder = this.graphqlNames.get(name);
      if (holder !== undefined && holder !== type) {
        return {
          refused: refusal(
            'CONFLICT',
            `event type "${type}" clashes with event type "${holder}" on the GraphQL type "${name}" ` +
              `(${graphqlNameRole(type, name)} of "${type}"; ${graphqlNameRole(holder, name)} of "${holder}"); ` +
              'register it under another type name, or rename the property',
            { graphqlName: name, conflictingType: holder },
          ),
        };
      }
    }
    return { names, model };
  }

  private holdGraphqlNames(type: string, names: readonly string[]): void {
    for (const name of this.graphqlNamesByType.get(type) ?? []) this.graphqlNames.delete(name);
    for (const name of names) this.graphqlNames.set(name, type);
    this.graphqlNamesByType.set(type, names);
  }

  private evaluateToken(record: TokenRecord): Evaluation {
    if (this.tokens.has(record.id)) return refusal('CONFLICT', `token id "${record.id}" is taken`);
    return {
      outcome: ACCEPTED,
      commit: () => this.tokens.set(record.id, { token: record.token, revokedAt: null }),
    };
  }

  private evaluateRevocation(record: RevocationRecord): Evaluation {
    const token = this.tokens.get(record.id);
    if (!token) return refusal('NOT_FOUND', `token "${record.id}" does not exist`);
    return {
      outcome: ACCEPTED,
      commit: () => {
        token.revokedAt ??= record.revokedAt;
      },
    };
  }
}

/** What a GraphQL type name is to `type`: one of the names its type name gives, or from its schema. */
function graphqlNameRole(type: string, name: string): string {
  const names = eventTypeGraphqlNames(type);
  switch (name) {
    case names.typeName:
      return 'the event object type';
    case names.dataTypeName:
      return 'the data type';
    case names.dataInputName:
      return 'the data input type';
    case names.publishInputName:
      return 'the publish input type';
    default:
      return 'a nested type of its schema';
  }
}

function versionDef(
  version: number,
  schema: JsonSchema,
  compatibility: CompatibilityMode,
  createdAt: string,
): SchemaVersionDef {
  let canonical: string | undefined;
  return {
    version,
    schema,
    get canonical() {
      return (canonical ??= canonicalJson(schema));
    },
    compatibility,
    createdAt,
  };
}

function sameStreamSettings(a: StreamDef, b: StreamRecord): boolean {
  return a.partitions === b.partitions && a.retentionHours === b.retentionHours;
}
