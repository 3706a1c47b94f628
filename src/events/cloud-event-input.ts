/**
 * CloudEvents received over HTTP (`POST /events`): structured and batch mode elements
 * (`parseCloudEvent`) and binary mode (`cloudEventFromBinaryHeaders`). Both check the same rules
 * and name the offending attribute (or header) in a BAD_USER_INPUT error.
 *
 * Streamgate carries JSON data only (its schemas are JSON Schemas), so a non-JSON
 * `datacontenttype` is refused rather than stored as an opaque string. Extension attributes other
 * than `tenant` are accepted and ignored, as CloudEvents asks of receivers that do not know them.
 * A JSON `null` attribute counts as absent (CloudEvents JSON format).
 */
import { gatewayError } from '../errors.js';
import { isJsonContentType } from './data-content.js';
import { parseDataschemaUri } from './dataschema.js';
import { parseRfc3339 } from './rfc3339.js';

/** A received CloudEvent, normalized; optional attributes are absent when not given. */
export interface CloudEventInput {
  readonly type: string;
  readonly id?: string;
  readonly source?: string;
  /** RFC 3339, as given. */
  readonly time?: string;
  readonly subject?: string;
  readonly tenant?: string;
  /** The `dataschema` URI as given. */
  readonly dataschema?: string;
  /** The version named by a Streamgate dataschema URN (`urn:streamgate:schema:<type>:<version>`). */
  readonly schemaVersion?: number;
  /** The data; null when the event carries none. */
  readonly data: unknown;
}

/** Fetch `Headers` (Yoga, undici) or Node's lower-cased `IncomingHttpHeaders`. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

type Describe = (attribute: string) => string;

const OPTIONAL_STRINGS = ['id', 'source', 'subject', 'tenant'] as const;

/**
 * Validates one structured-mode CloudEvent (or one element of a batch; pass its `index` so the
 * error says which).
 */
export function parseCloudEvent(json: unknown, index?: number): CloudEventInput {
  return parseAttributes(json, index, (attribute) => `attribute "${attribute}"`);
}

/**
 * Validates a binary-mode request: attributes in `ce-*` headers (percent-decoded, as the HTTP
 * binding asks), `content-type` as datacontenttype, the body as data. `body` is the raw body
 * (string, Buffer/Uint8Array or ArrayBuffer; empty or undefined means no data) or, when the
 * caller parsed it already, the JSON value itself.
 */
export function cloudEventFromBinaryHeaders(headers: HeaderSource, body: unknown): CloudEventInput {
  const describe: Describe = (attribute) =>
    attribute === 'datacontenttype' ? 'header "content-type"' : `header "ce-${attribute}"`;
  const attributes: Record<string, unknown> = {};
  for (const attribute of ['specversion', 'type', 'time', 'dataschema', ...OPTIONAL_STRINGS]) {
    const raw = readHeader(headers, `ce-${attribute}`);
    if (raw !== undefined) attributes[attribute] = percentDecode(raw, attribute, describe);
  }
  const contentType = readHeader(headers, 'content-type');
  if (contentType !== undefined) attributes['datacontenttype'] = contentType;
  const data = bodyToData(body, contentType);
  if (data !== undefined) attributes['data'] = data;
  return parseAttributes(attributes, undefined, describe);
}

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const value = (headers as Readonly<Record<string, string | readonly string[] | undefined>>)[name];
  return typeof value === 'string' ? value : value?.[0];
}

function percentDecode(value: string, attribute: string, describe: Describe): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw badInput(`${describe(attribute)} is not validly percent-encoded`, undefined, attribute);
  }
}

function bodyToData(body: unknown, contentType: string | undefined): unknown {
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array)
    text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  else if (body instanceof ArrayBuffer) text = Buffer.from(body).toString('utf8');
  else return body;
  if (text.trim() === '') return undefined;
  if (contentType !== undefined && !isJsonContentType(contentType)) return text; // refused later, by name
  try {
    return JSON.parse(text);
  } catch {
    throw badInput('the request body is not valid JSON', undefined, 'body');
  }
}

function parseAttributes(
  json: unknown,
  index: number | undefined,
  describe: Describe,
): CloudEventInput {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw badInput('a CloudEvent must be a JSON object', index, undefined);
  }
  const ce = json as Record<string, unknown>;
  const fail = (attribute: string, problem: string): never => {
    throw badInput(`${describe(attribute)} ${problem}`, index, attribute);
  };
  const optionalString = (attribute: string): string | undefined => {
    const value = ce[attribute];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value === '') fail(attribute, 'must be a non-empty string');
    return value as string;
  };

  const specversion = ce['specversion'];
  if (specversion === undefined || specversion === null)
    fail('specversion', 'is required and must be "1.0"');
  if (specversion !== '1.0')
    fail('specversion', `must be "1.0", got ${JSON.stringify(specversion)}`);
  const type = optionalString('type') ?? fail('type', 'is required');

  const result: { -readonly [K in keyof CloudEventInput]: CloudEventInput[K] } = {
    type,
    data: null,
  };
  for (const attribute of OPTIONAL_STRINGS) {
    const value = optionalString(attribute);
    if (value !== undefined) result[attribute] = value;
  }
  const time = optionalString('time');
  if (time !== undefined) {
    if (parseRfc3339(time) === undefined)
      fail('time', `must be an RFC 3339 date-time, got "${time}"`);
    result.time = time;
  }
  const dataschema = optionalString('dataschema');
  if (dataschema !== undefined) {
    result.dataschema = dataschema;
    const named = parseDataschemaUri(dataschema);
    if (named !== undefined && named.type !== type)
      fail('dataschema', `names type "${named.type}", not "${type}"`);
    if (named !== undefined) result.schemaVersion = named.version;
  }
  const contentType = optionalString('datacontenttype');
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    fail(
      'datacontenttype',
      `must be application/json (Streamgate carries JSON data), got "${contentType}"`,
    );
  }
  const hasData = ce['data'] !== undefined;
  const base64 = ce['data_base64'];
  if (hasData && base64 !== undefined && base64 !== null)
    fail('data_base64', 'must not be given together with data');
  if (hasData) result.data = ce['data'];
  else if (base64 !== undefined && base64 !== null) result.data = decodeBase64Json(base64, fail);
  return result;
}

function decodeBase64Json(
  value: unknown,
  fail: (attribute: string, problem: string) => never,
): unknown {
  if (
    typeof value !== 'string' ||
    !/^[A-Za-z0-9+/]*={0,2}$/.test(value) ||
    value.length % 4 !== 0
  ) {
    return fail('data_base64', 'must be a base64 string');
  }
  try {
    return JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return fail('data_base64', 'must hold base64-encoded JSON');
  }
}

function badInput(message: string, index: number | undefined, attribute: string | undefined) {
  const prefix = index === undefined ? '' : `event [${index}]: `;
  const extensions: Record<string, unknown> = {};
  if (attribute !== undefined) extensions['attribute'] = attribute;
  if (index !== undefined) extensions['index'] = index;
  return gatewayError('BAD_USER_INPUT', prefix + message, extensions);
}
