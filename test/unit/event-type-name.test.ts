import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPE_MAX_LENGTH,
  eventTypeGraphqlNames,
  findNameClash,
  graphqlTypeName,
  isEventType,
  parseEventType,
  publishFieldName,
} from '../../src/registry/event-type-name.js';

describe('parseEventType', () => {
  it('splits the resource type from the action, which is the last segment', () => {
    expect(parseEventType('addon.attachment.created')).toEqual({
      type: 'addon.attachment.created',
      resourceType: 'addon.attachment',
      action: 'created',
      segments: ['addon', 'attachment', 'created'],
    });
    expect(parseEventType('config_vars.updated')).toMatchObject({
      resourceType: 'config_vars',
      action: 'updated',
    });
    expect(parseEventType('app.v2.created')).toMatchObject({
      resourceType: 'app.v2',
      action: 'created',
    });
  });

  it.each([
    ['app', /at least two dot-separated segments/],
    ['', /at least two dot-separated segments/],
    ['App.created', /segment "App"/],
    ['app..created', /segment ""/],
    ['app.created.', /segment ""/],
    ['.app.created', /segment ""/],
    ['app.foo-bar', /segment "foo-bar"/],
    ['app.foo__bar', /segment "foo__bar"/],
    ['app.foo_', /segment "foo_"/],
    ['app._private', /segment "_private"/],
    ['app.1st', /segment "1st"/],
    ['app.*', /segment "\*"/],
    [' app.created', /segment " app"/],
    ['app.créé', /segment "créé"/],
  ])('rejects %j, saying why', (type, reason) => {
    expect(() => parseEventType(type)).toThrow(reason);
    expect(isEventType(type)).toBe(false);
  });

  it('rejects what is not a string', () => {
    expect(() => parseEventType(42)).toThrow('an event type must be a string');
    expect(() => parseEventType(null)).toThrow('must be a string');
  });

  it(`accepts ${EVENT_TYPE_MAX_LENGTH} characters and not one more`, () => {
    const longest = `app.${'x'.repeat(EVENT_TYPE_MAX_LENGTH - 4)}`;
    expect(parseEventType(longest).type).toHaveLength(EVENT_TYPE_MAX_LENGTH);
    expect(() => parseEventType(`${longest}x`)).toThrow(/129 characters long; at most 128/);
  });
});

describe('GraphQL names of an event type', () => {
  it('is PascalCase for the type and camelCase for the publish field', () => {
    expect(graphqlTypeName('app.created')).toBe('AppCreated');
    expect(graphqlTypeName('addon.attachment.created')).toBe('AddonAttachmentCreated');
    expect(graphqlTypeName('config_vars.updated')).toBe('ConfigVarsUpdated');
    expect(graphqlTypeName('app.v2.created')).toBe('AppV2Created');
    expect(publishFieldName('addon.attachment.created')).toBe('addonAttachmentCreated');
    expect(publishFieldName('config_vars.updated')).toBe('configVarsUpdated');
  });

  it('refuses an invalid type rather than inventing a name', () => {
    expect(() => graphqlTypeName('App.Created')).toThrow(/segment "App"/);
  });

  it('derives the data, input and publish names from the type name', () => {
    expect(eventTypeGraphqlNames('app.created')).toEqual({
      typeName: 'AppCreated',
      dataTypeName: 'AppCreatedData',
      dataInputName: 'AppCreatedDataInput',
      publishInputName: 'AppCreatedPublish',
      publishFieldName: 'appCreated',
    });
  });
});

describe('findNameClash', () => {
  it('finds two types that spell the same GraphQL name', () => {
    expect(findNameClash('a_b.c.created', ['a.b_c.created'])).toBe('ABCCreated');
    expect(findNameClash('app.foo.bar_created', ['app.created', 'app.foo_bar.created'])).toBe(
      'AppFooBarCreated',
    );
  });

  it("finds a type named like another type's data or publish type", () => {
    expect(findNameClash('app.created.data', ['app.created'])).toBe('AppCreatedData');
    expect(findNameClash('app.created', ['app.created.publish'])).toBe('AppCreatedPublish');
    expect(findNameClash('app.created.data_input', ['app.created'])).toBe('AppCreatedDataInput');
  });

  it('finds names of the fixed schema', () => {
    expect(findNameClash('event.type', [])).toBe('EventType');
    expect(findNameClash('publish.result', [])).toBe('PublishResult');
    expect(findNameClash('untyped.event', [])).toBe('UntypedEvent');
    expect(findNameClash('publish_json.input', [])).toBe('PublishJsonInput');
    expect(findNameClash('event_type.version', [])).toBe('EventTypeVersion');
    expect(findNameClash('issued.token', [])).toBe('IssuedToken');
  });

  it('takes the reserved names the GraphQL layer adds', () => {
    expect(findNameClash('order.placed', [], new Set(['OrderPlacedData']))).toBe('OrderPlacedData');
  });

  it('finds nothing between distinct types, nor between a type and itself', () => {
    const platform = [
      'app.created',
      'app.updated',
      'addon.created',
      'addon.attachment.created',
      'config_vars.updated',
    ];
    for (const type of platform) expect(findNameClash(type, platform)).toBeUndefined();
    expect(findNameClash('app.foo_bar.created', ['app.foobar.created'])).toBeUndefined();
  });

  it("reads the registry's map of GraphQL name → event type", () => {
    const registered = new Map([
      ['AppCreated', 'app.created'],
      ['ABCCreated', 'a.b_c.created'],
    ]);
    expect(findNameClash('a_b.c.created', registered)).toBe('ABCCreated');
    expect(findNameClash('app.created.data', registered)).toBe('AppCreatedData');
    expect(findNameClash('app.destroyed', registered)).toBeUndefined();
  });
});
