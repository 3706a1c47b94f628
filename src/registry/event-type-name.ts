/**
 * Event type names (shared/API.md): `<resourceType>.<action>`, lower case, dotted; the action is
 * the last segment (`addon.attachment.created` → resource type `addon.attachment`, action
 * `created`), and the names GraphQL derives from them (`AddonAttachmentCreated`, …).
 *
 * A segment is lower-case words of letters and digits joined by single underscores
 * (`config_vars`, `v2`), starting with a letter. Single underscores between words keep the
 * PascalCase name readable and leave no two spellings of one word sequence (`foo__bar`, `foo_`).
 */

/** Longest accepted event type, in characters. */
export const EVENT_TYPE_MAX_LENGTH = 128;

const SEGMENT = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** A parsed event type. */
export interface EventTypeName {
  readonly type: string;
  /** All segments but the last, joined by dots (`addon.attachment`). */
  readonly resourceType: string;
  /** The last segment (`created`). */
  readonly action: string;
  readonly segments: readonly string[];
}

/**
 * Parses and validates an event type. Throws an Error saying what is wrong; the caller maps it
 * to BAD_USER_INPUT.
 */
export function parseEventType(value: unknown): EventTypeName {
  if (typeof value !== 'string') throw new Error('an event type must be a string');
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  if (value.length > EVENT_TYPE_MAX_LENGTH) {
    throw new Error(
      `event type "${shown}" is ${value.length} characters long; at most ${EVENT_TYPE_MAX_LENGTH} are allowed`,
    );
  }
  const segments = value.split('.');
  if (segments.length < 2) {
    throw new Error(
      `event type "${shown}" must be <resourceType>.<action> with at least two dot-separated segments, e.g. "app.created"`,
    );
  }
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      throw new Error(
        `event type "${shown}" has an invalid segment "${segment}": a segment starts with a lower-case letter ` +
          'and holds lower-case letters, digits and single underscores between words',
      );
    }
  }
  return {
    type: value,
    resourceType: segments.slice(0, -1).join('.'),
    action: segments[segments.length - 1]!,
    segments,
  };
}

/** True when `value` is a valid event type. */
export function isEventType(value: unknown): value is string {
  try {
    parseEventType(value);
    return true;
  } catch {
    return false;
  }
}

/** `addon.attachment.created` → `AddonAttachmentCreated`: every word capitalized, dots and underscores dropped. */
export function graphqlTypeName(type: string): string {
  return parseEventType(type)
    .segments.flatMap((segment) => segment.split('_'))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** `addon.attachment.created` → `addonAttachmentCreated`: the type's field in `PublishInput`. */
export function publishFieldName(type: string): string {
  const name = graphqlTypeName(type);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Every GraphQL name an event type owns, whatever its schema. */
export interface EventTypeGraphqlNames {
  /** The event object type: `AppCreated`. */
  readonly typeName: string;
  /** Its `data` output type: `AppCreatedData`. */
  readonly dataTypeName: string;
  /** Its `data` input type: `AppCreatedDataInput`. */
  readonly dataInputName: string;
  /** Its typed publish input: `AppCreatedPublish`. */
  readonly publishInputName: string;
  /** Its field in `PublishInput`: `appCreated`. */
  readonly publishFieldName: string;
}

export function eventTypeGraphqlNames(type: string): EventTypeGraphqlNames {
  const typeName = graphqlTypeName(type);
  return {
    typeName,
    dataTypeName: `${typeName}Data`,
    dataInputName: `${typeName}DataInput`,
    publishInputName: `${typeName}Publish`,
    publishFieldName: typeName.charAt(0).toLowerCase() + typeName.slice(1),
  };
}

/** The type names `eventTypeGraphqlNames` puts into the GraphQL schema. */
export function ownedTypeNames(names: EventTypeGraphqlNames): string[] {
  return [names.typeName, names.dataTypeName, names.dataInputName, names.publishInputName];
}

/**
 * Names of the fixed part of the GraphQL schema (shared/API.md) and of the built-in scalars, which
 * no event type may take. The GraphQL layer passes its own set when it adds more.
 */
export const RESERVED_GRAPHQL_NAMES: ReadonlySet<string> = new Set([
  'Query',
  'Mutation',
  'Subscription',
  'String',
  'Int',
  'Float',
  'Boolean',
  'ID',
  'JSON',
  'DateTime',
  'Event',
  'UntypedEvent',
  'StartPosition',
  'EventFilter',
  'Predicate',
  'PublishInput',
  'PublishJsonInput',
  'PublishResult',
  'ConsumerGroup',
  'PartitionLag',
  'CreateStreamInput',
  'RegisterEventTypeInput',
  'Compatibility',
  'IssueTokenInput',
  'GrantInput',
  'Grant',
  'Operation',
  'IssuedToken',
  'Stream',
  'EventType',
  'EventTypeVersion',
  'SchemaVersion',
  'Principal',
  'Token',
]);

/**
 * The first GraphQL name that `type` would share with a reserved name or with another event type
 * (`a.b_c.created` and `a_b.c.created` are both `ABCCreated`; `app.created.data` is
 * `AppCreatedData`, the data type of `app.created`), or undefined when there is none.
 *
 * `existing` holds the event types already registered, or is the registry's map of GraphQL type
 * name → event type (its values are read). `type` itself among them is skipped, so a new
 * version of a type never clashes with its earlier one. Names that only a schema produces
 * (nested objects) are checked by `findModelNameClash` in graphql-model.
 */
export function findNameClash(
  type: string,
  existing: Iterable<string> | ReadonlyMap<string, string>,
  reserved: ReadonlySet<string> = RESERVED_GRAPHQL_NAMES,
): string | undefined {
  const mine = ownedTypeNames(eventTypeGraphqlNames(type));
  const reservedClash = mine.find((name) => reserved.has(name));
  if (reservedClash) return reservedClash;
  const others = isMap(existing) ? existing.values() : existing;
  for (const other of others) {
    if (other === type) continue;
    const theirs = new Set(ownedTypeNames(eventTypeGraphqlNames(other)));
    const clash = mine.find((name) => theirs.has(name));
    if (clash) return clash;
  }
  return undefined;
}

function isMap(
  value: Iterable<string> | ReadonlyMap<string, string>,
): value is ReadonlyMap<string, string> {
  return value instanceof Map;
}
