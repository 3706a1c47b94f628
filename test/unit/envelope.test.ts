import { describe, expect, it } from 'vitest';
import type { AppendRecord, LogRecord } from '../../src/log/event-log.js';
import { errorCodeOf } from '../../src/errors.js';
import {
  cloudEventFromBinaryHeaders,
  envelopeToRecord,
  parseCloudEvent,
  recordToEvent,
  splitEventType,
  type EventEnvelope,
} from '../../src/events/envelope.js';
import { parseRfc3339 } from '../../src/events/rfc3339.js';

/** What the log hands back for an appended record. */
function asLogRecord(record: AppendRecord, partition = 2, offset = 41): LogRecord {
  return {
    topic: 'sg.platform',
    partition,
    offset,
    timestamp: record.timestamp ?? Date.now(),
    key: record.key,
    value: record.value,
    headers: record.headers ?? {},
  };
}

function nativeRecord(value: Buffer | null, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    topic: 'orders',
    partition: 1,
    offset: 7,
    timestamp: Date.UTC(2024, 4, 1, 12, 0, 0),
    key: 'order-9',
    value,
    headers: {},
    ...extra,
  };
}

function thrown(fn: () => unknown): {
  code: string | undefined;
  message: string;
  extensions: Record<string, unknown>;
} {
  try {
    fn();
  } catch (error) {
    const e = error as { message: string; extensions?: Record<string, unknown> };
    return { code: errorCodeOf(error), message: e.message, extensions: e.extensions ?? {} };
  }
  throw new Error('expected a throw');
}

const full: EventEnvelope = {
  id: 'evt-1',
  type: 'addon.attachment.created',
  source: 'billing-service',
  time: '2024-05-01T14:00:00.250+02:00',
  subject: 'att-123',
  tenant: 'acme',
  schemaVersion: 3,
  data: {
    name: 'pg',
    plan: { tier: 'standard' },
    tags: ['a', 'b'],
    count: 2,
    ok: true,
    none: null,
  },
};

describe('envelopeToRecord', () => {
  it('writes the CloudEvents Kafka binary-mode record', () => {
    const record = envelopeToRecord(full);
    expect(record.key).toBe('att-123');
    expect(record.timestamp).toBe(Date.parse('2024-05-01T12:00:00.250Z'));
    expect(JSON.parse(record.value!.toString('utf8'))).toEqual(full.data);
    expect(record.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: 'evt-1',
      ce_source: 'billing-service',
      ce_type: 'addon.attachment.created',
      ce_time: '2024-05-01T14:00:00.250+02:00',
      ce_subject: 'att-123',
      ce_tenant: 'acme',
      ce_dataschema: 'urn:streamgate:schema:addon.attachment.created:3',
      'content-type': 'application/json',
    });
  });

  it('leaves out the optional headers when unset, keyless', () => {
    const record = envelopeToRecord({ ...full, subject: null, tenant: null, schemaVersion: null });
    expect(record.key).toBeNull();
    expect(Object.keys(record.headers!).sort()).toEqual(
      ['ce_id', 'ce_source', 'ce_specversion', 'ce_time', 'ce_type', 'content-type'].sort(),
    );
  });

  it('refuses a time that is not RFC 3339', () => {
    expect(thrown(() => envelopeToRecord({ ...full, time: 'May 1 2024' })).code).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('recordToEvent', () => {
  it('round-trips every field of the envelope', () => {
    const event = recordToEvent('platform', asLogRecord(envelopeToRecord(full), 2, 41));
    expect(event).toEqual({
      stream: 'platform',
      partition: 2,
      offset: 41,
      id: 'evt-1',
      type: 'addon.attachment.created',
      resourceType: 'addon.attachment',
      action: 'created',
      resourceId: 'att-123',
      source: 'billing-service',
      tenant: 'acme',
      time: '2024-05-01T14:00:00.250+02:00',
      schemaVersion: 3,
      payload: full.data,
    });
  });

  it('round-trips nulls and scalar data', () => {
    for (const data of [null, 0, 'text', [1, 'two'], false]) {
      const envelope = { ...full, subject: null, tenant: null, schemaVersion: null, data };
      const event = recordToEvent('s', asLogRecord(envelopeToRecord(envelope)));
      expect([event.payload, event.resourceId, event.tenant, event.schemaVersion]).toEqual([
        data,
        null,
        null,
        null,
      ]);
    }
  });

  it('gives a native record without headers sensible defaults', () => {
    const event = recordToEvent('orders', nativeRecord(Buffer.from('{"total":12}')));
    expect(event).toEqual({
      stream: 'orders',
      partition: 1,
      offset: 7,
      id: 'orders-1-7',
      type: 'kafka.record',
      resourceType: 'kafka',
      action: 'record',
      resourceId: 'order-9',
      source: 'kafka',
      tenant: null,
      time: '2024-05-01T12:00:00.000Z',
      schemaVersion: null,
      payload: { total: 12 },
    });
  });

  it.each([
    ['text that is not JSON', Buffer.from('hello world'), undefined, 'hello world'],
    ['a JSON-looking text/plain value stays text', Buffer.from('123'), 'text/plain', '123'],
    ['binary bytes', Buffer.from([0xff, 0x00, 0xfe]), undefined, { data_base64: '/wD+' }],
    ['a tombstone', null, undefined, null],
    ['JSON with a +json content type', Buffer.from('[1]'), 'application/vnd.acme+json', [1]],
  ])('decodes %s', (_label, value, contentType, payload) => {
    const headers: Record<string, string> =
      contentType === undefined ? {} : { 'content-type': contentType };
    expect(recordToEvent('orders', nativeRecord(value, { headers })).payload).toEqual(payload);
  });

  it('falls back to the record timestamp when ce_time is not RFC 3339', () => {
    const event = recordToEvent(
      'orders',
      nativeRecord(null, { headers: { ce_time: 'yesterday' } }),
    );
    expect(event.time).toBe('2024-05-01T12:00:00.000Z');
  });

  it('ignores a dataschema that is foreign or names another type', () => {
    const headers = {
      ce_type: 'app.created',
      ce_dataschema: 'https://example.com/schemas/app.json',
    };
    expect(recordToEvent('s', nativeRecord(null, { headers })).schemaVersion).toBeNull();
    const other = { ce_type: 'app.created', ce_dataschema: 'urn:streamgate:schema:app.deleted:2' };
    expect(recordToEvent('s', nativeRecord(null, { headers: other })).schemaVersion).toBeNull();
  });

  it('unwraps structured-mode CloudEvents values', () => {
    const value = Buffer.from(
      JSON.stringify({
        specversion: '1.0',
        id: 'x-1',
        type: 'order.placed',
        source: 'shop',
        time: '2024-05-02T00:00:00Z',
        subject: 'order-1',
        tenant: 'acme',
        dataschema: 'urn:streamgate:schema:order.placed:1',
        data: { total: 3 },
      }),
    );
    const event = recordToEvent(
      'orders',
      nativeRecord(value, {
        headers: { 'content-type': 'application/cloudevents+json; charset=UTF-8' },
      }),
    );
    expect(event).toMatchObject({
      id: 'x-1',
      type: 'order.placed',
      resourceType: 'order',
      action: 'placed',
      source: 'shop',
      time: '2024-05-02T00:00:00Z',
      resourceId: 'order-1',
      tenant: 'acme',
      schemaVersion: 1,
      payload: { total: 3 },
    });
  });

  it('unwraps structured-mode data_base64', () => {
    const value = Buffer.from(
      JSON.stringify({
        specversion: '1.0',
        type: 'a.b',
        data_base64: Buffer.from('{"n":1}').toString('base64'),
      }),
    );
    const headers = { 'content-type': 'application/cloudevents+json' };
    expect(recordToEvent('s', nativeRecord(value, { headers })).payload).toEqual({ n: 1 });
  });

  it('treats a broken structured-mode value as a plain record', () => {
    const headers = { 'content-type': 'application/cloudevents+json' };
    const event = recordToEvent('s', nativeRecord(Buffer.from('{oops'), { headers }));
    expect([event.type, event.payload]).toEqual(['kafka.record', '{oops']);
  });
});

describe('splitEventType', () => {
  it.each([
    ['addon.attachment.created', 'addon.attachment', 'created'],
    ['app.created', 'app', 'created'],
    ['OrderPlaced', 'OrderPlaced', ''],
  ])('%s', (type, resourceType, action) => {
    expect(splitEventType(type)).toEqual({ resourceType, action });
  });
});

describe('parseCloudEvent', () => {
  const minimal = { specversion: '1.0', type: 'app.created' };

  it('returns the given attributes, and null data when there is none', () => {
    expect(parseCloudEvent(minimal)).toEqual({ type: 'app.created', data: null });
    expect(
      parseCloudEvent({
        ...minimal,
        id: 'e1',
        source: 'ci',
        time: '2024-05-01T12:00:00Z',
        subject: 'app-1',
        tenant: 'acme',
        dataschema: 'urn:streamgate:schema:app.created:2',
        datacontenttype: 'application/json',
        data: { name: 'x' },
        someextension: 'ignored',
      }),
    ).toEqual({
      type: 'app.created',
      id: 'e1',
      source: 'ci',
      time: '2024-05-01T12:00:00Z',
      subject: 'app-1',
      tenant: 'acme',
      dataschema: 'urn:streamgate:schema:app.created:2',
      schemaVersion: 2,
      data: { name: 'x' },
    });
  });

  it('treats null attributes as absent and decodes data_base64', () => {
    const parsed = parseCloudEvent({
      ...minimal,
      subject: null,
      data_base64: Buffer.from('[1,2]').toString('base64'),
    });
    expect(parsed).toEqual({ type: 'app.created', data: [1, 2] });
  });

  it.each([
    ['not an object', ['x'], undefined],
    ['no specversion', { type: 'a.b' }, 'specversion'],
    ['specversion 0.3', { specversion: '0.3', type: 'a.b' }, 'specversion'],
    ['no type', { specversion: '1.0' }, 'type'],
    ['an empty type', { specversion: '1.0', type: '' }, 'type'],
    ['a numeric id', { ...minimal, id: 5 }, 'id'],
    ['an empty source', { ...minimal, source: '' }, 'source'],
    ['a date without time', { ...minimal, time: '2024-05-01' }, 'time'],
    ['February 30th', { ...minimal, time: '2024-02-30T00:00:00Z' }, 'time'],
    ['a time without offset', { ...minimal, time: '2024-05-01T12:00:00' }, 'time'],
    [
      'a dataschema of another type',
      { ...minimal, dataschema: 'urn:streamgate:schema:app.deleted:1' },
      'dataschema',
    ],
    [
      'XML data',
      { ...minimal, datacontenttype: 'application/xml', data: '<a/>' },
      'datacontenttype',
    ],
    ['data and data_base64', { ...minimal, data: 1, data_base64: 'MQ==' }, 'data_base64'],
    ['data_base64 that is not base64', { ...minimal, data_base64: '***' }, 'data_base64'],
    [
      'data_base64 that is not JSON',
      { ...minimal, data_base64: Buffer.from('hi').toString('base64') },
      'data_base64',
    ],
  ])('refuses %s, naming the attribute', (_label, json, attribute) => {
    const error = thrown(() => parseCloudEvent(json));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.extensions['attribute']).toBe(attribute);
    if (attribute !== undefined) expect(error.message).toContain(`"${attribute}"`);
  });

  it('says which element of a batch is wrong', () => {
    const error = thrown(() => parseCloudEvent({ specversion: '1.0' }, 3));
    expect(error.message).toMatch(/^event \[3\]: /);
    expect(error.extensions['index']).toBe(3);
  });
});

describe('cloudEventFromBinaryHeaders', () => {
  it('reads percent-decoded ce-* headers from fetch Headers and a raw JSON body', () => {
    const headers = new Headers({
      'ce-specversion': '1.0',
      'ce-type': 'app.created',
      'ce-id': 'e-1',
      'ce-source': 'my%20service',
      'ce-time': '2024-05-01T12:00:00Z',
      'ce-subject': 'app-1',
      'ce-tenant': 'acme',
      'content-type': 'application/json',
    });
    expect(cloudEventFromBinaryHeaders(headers, Buffer.from('{"name":"x"}'))).toEqual({
      type: 'app.created',
      id: 'e-1',
      source: 'my service',
      time: '2024-05-01T12:00:00Z',
      subject: 'app-1',
      tenant: 'acme',
      data: { name: 'x' },
    });
  });

  it('reads Node header records and already-parsed bodies', () => {
    const headers = { 'ce-specversion': '1.0', 'ce-type': 'app.created' };
    expect(cloudEventFromBinaryHeaders(headers, { a: 1 })).toEqual({
      type: 'app.created',
      data: { a: 1 },
    });
    expect(cloudEventFromBinaryHeaders(headers, '')).toEqual({ type: 'app.created', data: null });
  });

  it.each([
    ['a missing ce-type', { 'ce-specversion': '1.0' }, '{}', 'header "ce-type"'],
    [
      'a bad ce-time',
      { 'ce-specversion': '1.0', 'ce-type': 'a.b', 'ce-time': 'now' },
      '{}',
      'header "ce-time"',
    ],
    [
      'bad percent-encoding',
      { 'ce-specversion': '1.0', 'ce-type': 'a.b', 'ce-id': '%E0%A4%A' },
      '{}',
      'header "ce-id"',
    ],
    [
      'a text body',
      { 'ce-specversion': '1.0', 'ce-type': 'a.b', 'content-type': 'text/plain' },
      'hi',
      'header "content-type"',
    ],
    [
      'a body that is not JSON',
      { 'ce-specversion': '1.0', 'ce-type': 'a.b' },
      '{nope',
      'not valid JSON',
    ],
  ])('refuses %s', (_label, headers, body, named) => {
    const error = thrown(() => cloudEventFromBinaryHeaders(headers, body));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(named);
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['2024-05-01T12:00:00Z', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01t12:00:00.5z', Date.UTC(2024, 4, 1, 12, 0, 0, 500)],
    ['2024-05-01T14:00:00+02:00', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T10:30:00-01:30', Date.UTC(2024, 4, 1, 12)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['0001-01-01T00:00:00Z', Date.parse('0001-01-01T00:00:00Z')],
  ])('reads %s', (text, millis) => {
    expect(parseRfc3339(text)).toBe(millis);
  });

  it.each([
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01 12:00:00Z',
    '2024',
    '',
  ])('refuses %s', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});
