/**
 * The CloudEvents envelope and its Kafka form (the CloudEvents Kafka protocol binding, binary
 * mode): `ce_*` headers carry the attributes, the record value is the `data` JSON and the record
 * key is the subject, so one resource's events stay in order on one partition.
 */
import type { AppendRecord, LogRecord } from '../log/event-log.js';
import { gatewayError } from '../errors.js';
import { decodeDataBytes } from './data-content.js';
import { dataschemaUri, parseDataschemaUri } from './dataschema.js';
import { parseRfc3339 } from './rfc3339.js';

export { parseCloudEvent, cloudEventFromBinaryHeaders } from './cloud-event-input.js';
export type { CloudEventInput, HeaderSource } from './cloud-event-input.js';

/** What the gateway writes. */
export interface EventEnvelope {
  id: string;
  type: string;
  source: string;
  /** RFC 3339. */
  time: string;
  subject: string | null;
  tenant: string | null;
  schemaVersion: number | null;
  data: unknown;
}

/** What the fan-out hands to subscribers; decoded once per record, shared by all of them. */
export interface StoredEvent {
  stream: string;
  partition: number;
  offset: number;
  id: string;
  type: string;
  resourceType: string;
  action: string;
  resourceId: string | null;
  source: string;
  tenant: string | null;
  time: string;
  schemaVersion: number | null;
  /** The parsed data JSON. */
  payload: unknown;
  registered?: never;
}

/**
 * The type of records that carry no `ce_type` (written by a native Kafka producer): resource
 * type `kafka`, action `record`. A fixed, recognisable name lets a subscriber select or exclude
 * them with `types: ["kafka.record"]`, and never collides with a registered type by accident.
 */
export const UNTYPED_EVENT_TYPE = 'kafka.record';
/** The source of records that carry no `ce_source`. */
export const UNTYPED_EVENT_SOURCE = 'kafka';

/**
 * Splits `<resourceType>.<action>`: the action is the last dotted segment. A type without a dot
 * (only a native producer can write one) is all resource type, with an empty action.
 */
export function splitEventType(type: string): { resourceType: string; action: string } {
  const dot = type.lastIndexOf('.');
  if (dot === -1) return { resourceType: type, action: '' };
  return { resourceType: type.slice(0, dot), action: type.slice(dot + 1) };
}

/**
 * The Kafka record of an envelope. `ce_subject`, `ce_tenant` and `ce_dataschema` are written only
 * when set; `ce_dataschema` is `urn:streamgate:schema:<type>:<version>` (see dataschema.ts). Data
 * that is undefined is written as JSON `null`, so every gateway record has a JSON value.
 */
/**
 * `dataJson` is `JSON.stringify(e.data)` when the caller has it already (the publish path
 * measures the data's size with it), so the data is serialized once per event.
 */
export function envelopeToRecord(e: EventEnvelope, dataJson?: string): AppendRecord {
  const timestamp = parseRfc3339(e.time);
  if (timestamp === undefined) {
    throw gatewayError('BAD_USER_INPUT', `time must be an RFC 3339 date-time, got "${e.time}"`, {
      attribute: 'time',
    });
  }
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    ce_id: e.id,
    ce_source: e.source,
    ce_type: e.type,
    ce_time: e.time,
    'content-type': 'application/json',
  };
  if (e.subject !== null) headers['ce_subject'] = e.subject;
  if (e.schemaVersion !== null) headers['ce_dataschema'] = dataschemaUri(e.type, e.schemaVersion);
  if (e.tenant !== null) headers['ce_tenant'] = e.tenant;
  return {
    key: e.subject,
    value: Buffer.from(dataJson ?? JSON.stringify(e.data ?? null), 'utf8'),
    headers,
    timestamp,
  };
}

/** CloudEvents attributes as found on a record; empty strings count as absent. */
interface FoundAttributes {
  id?: string | undefined;
  type?: string | undefined;
  source?: string | undefined;
  time?: string | undefined;
  subject?: string | undefined;
  tenant?: string | undefined;
  dataschema?: string | undefined;
}

/**
 * The event of a record, whoever wrote it; never throws, because one odd record must not stop a
 * stream's fan-out. Missing attributes get defaults:
 * - id `<stream>-<partition>-<offset>` (unique and stable, so re-reads give the same id);
 * - type `kafka.record` (UNTYPED_EVENT_TYPE), source `kafka`;
 * - time: the record timestamp (also when `ce_time` is not RFC 3339);
 * - resourceId: the record key;
 * - schemaVersion: only from a Streamgate dataschema URN naming this very type, else null.
 * Structured-mode records (`content-type: application/cloudevents+json`) are unwrapped; the
 * payload rules for non-JSON values are those of `decodeDataBytes`.
 */
export function recordToEvent(stream: string, r: LogRecord): StoredEvent {
  const headers = r.headers;
  // The binding names it `content-type`; some native producers capitalise it.
  const contentType = headers['content-type'] ?? headers['Content-Type'];
  if (contentType !== undefined && r.value !== null && isStructuredContentType(contentType)) {
    const unwrapped = unwrapStructured(stream, r, r.value);
    if (unwrapped !== undefined) return unwrapped;
  }
  const attributes: FoundAttributes = {
    id: headers['ce_id'],
    type: headers['ce_type'],
    source: headers['ce_source'],
    time: headers['ce_time'],
    subject: headers['ce_subject'],
    tenant: headers['ce_tenant'],
    dataschema: headers['ce_dataschema'],
  };
  const payload = r.value === null ? null : decodeDataBytes(r.value, contentType);
  return toStoredEvent(stream, r, attributes, payload);
}

function isStructuredContentType(contentType: string): boolean {
  return contentType.trim().toLowerCase().startsWith('application/cloudevents+json');
}

/** A structured-mode record, or undefined when its value is not a CloudEvent JSON object after all. */
function unwrapStructured(stream: string, r: LogRecord, value: Buffer): StoredEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const ce = parsed as Record<string, unknown>;
  const attributes: FoundAttributes = {
    id: stringOrUndefined(ce['id']),
    type: stringOrUndefined(ce['type']),
    source: stringOrUndefined(ce['source']),
    time: stringOrUndefined(ce['time']),
    subject: stringOrUndefined(ce['subject']),
    tenant: stringOrUndefined(ce['tenant']),
    dataschema: stringOrUndefined(ce['dataschema']),
  };
  let payload: unknown = null;
  if (ce['data'] !== undefined) {
    payload = ce['data'];
  } else if (typeof ce['data_base64'] === 'string') {
    const bytes = Buffer.from(ce['data_base64'], 'base64');
    payload = decodeDataBytes(bytes, stringOrUndefined(ce['datacontenttype']));
  }
  return toStoredEvent(stream, r, attributes, payload);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function toStoredEvent(
  stream: string,
  r: LogRecord,
  a: FoundAttributes,
  payload: unknown,
): StoredEvent {
  const type = present(a.type) ? a.type : UNTYPED_EVENT_TYPE;
  const { resourceType, action } = splitEventType(type);
  const schema = present(a.dataschema) ? parseDataschemaUri(a.dataschema) : undefined;
  return {
    stream,
    partition: r.partition,
    offset: r.offset,
    id: present(a.id) ? a.id : `${stream}-${r.partition}-${r.offset}`,
    type,
    resourceType,
    action,
    resourceId: present(a.subject) ? a.subject : r.key,
    source: present(a.source) ? a.source : UNTYPED_EVENT_SOURCE,
    tenant: present(a.tenant) ? a.tenant : null,
    time:
      present(a.time) && parseRfc3339(a.time) !== undefined ? a.time : timeOfTimestamp(r.timestamp),
    schemaVersion: schema !== undefined && schema.type === type ? schema.version : null,
    payload,
  };
}

/** The largest magnitude a JavaScript Date holds (ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

function timeOfTimestamp(timestamp: number): string {
  // kafkajs reports -1 for records without a timestamp (old message formats); keep it printable.
  const valid = Number.isFinite(timestamp) && Math.abs(timestamp) <= MAX_DATE_MS;
  return new Date(valid ? timestamp : 0).toISOString();
}
