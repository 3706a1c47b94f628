/**
 * GET /asyncapi.json: an AsyncAPI 3.0 document that the official parser reads without an error,
 * listing exactly the streams and event types the token may see, and following the registry.
 */
import { Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codesOf,
  httpSend,
  setupStream,
  startTestGateway,
  type TestGateway,
} from '../auth/auth-harness.js';

const parser = new Parser();
/** Spectral's severity of an error (warnings are 1, information 2, hints 3). */
const ERROR = 0;

describe('GET /asyncapi.json', () => {
  let gw: TestGateway;

  async function fetchDocument(token: string | null): Promise<{ status: number; body: any }> {
    const response = await httpSend(`${gw.url}/asyncapi.json`, {
      method: 'GET',
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: JSON.parse(response.text) };
  }

  /** Fetches the token's document and parses it; fails on any error the parser reports. */
  async function parsed(token: string): Promise<AsyncAPIDocumentInterface> {
    const { status, body } = await fetchDocument(token);
    expect(status).toBe(200);
    const { document, diagnostics } = await parser.parse(JSON.stringify(body));
    const errors = diagnostics.filter((d) => d.severity === ERROR);
    expect(errors.map((d) => `${d.code}: ${d.message} at ${d.path.join('/')}`)).toEqual([]);
    expect(document).toBeDefined();
    return document!;
  }

  const channelsOf = (doc: AsyncAPIDocumentInterface) =>
    doc
      .channels()
      .all()
      .map((c) => c.address())
      .sort();
  const messagesOf = (doc: AsyncAPIDocumentInterface, address: string) =>
    doc
      .channels()
      .all()
      .find((c) => c.address() === address)!
      .messages()
      .all()
      .map((m) => m.name())
      .sort();
  const operationsOf = (doc: AsyncAPIDocumentInterface) =>
    doc
      .operations()
      .all()
      .map((o) => `${o.action()} ${o.channels().all()[0]!.address()}`)
      .sort();

  beforeAll(async () => {
    gw = await startTestGateway();
    await setupStream(gw, 'team-a.orders', ['order.placed', 'order.shipped']);
  });
  afterAll(() => gw?.close());

  it('the admin token sees every stream and event type, with schemas, headers and servers', async () => {
    const doc = await parsed(gw.adminToken);
    expect(doc.version()).toBe('3.0.0');
    expect(channelsOf(doc)).toEqual(['platform', 'team-a.orders']);
    expect(messagesOf(doc, 'team-a.orders')).toEqual(['order.placed', 'order.shipped']);
    expect(messagesOf(doc, 'platform')).toContain('app.created');
    expect(operationsOf(doc)).toEqual([
      'receive platform',
      'receive team-a.orders',
      'send platform',
      'send team-a.orders',
    ]);

    const appCreated = doc
      .allMessages()
      .all()
      .find((m) => m.name() === 'app.created')!;
    // The payload is the registered schema, its $defs references resolved where it sits.
    const payload = appCreated.payload()!;
    expect(payload.required()).toContain('name');
    expect(Object.keys(payload.properties()!['region']!.properties() ?? {})).toEqual([
      'id',
      'name',
    ]);
    const headers = appCreated.headers()!.properties()!;
    expect(headers['type']!.const()).toBe('app.created');
    expect(Object.keys(headers)).toEqual(
      expect.arrayContaining(['specversion', 'id', 'source', 'type', 'subject', 'time', 'tenant']),
    );

    const servers = doc
      .servers()
      .all()
      .map((s) => `${s.protocol()}://${s.host()}${s.pathname() ?? ''}`);
    const host = new URL(gw.url).host;
    expect(servers.sort()).toEqual(
      [`http://${host}/events`, `http://${host}/graphql`, `ws://${host}/graphql`].sort(),
    );
    expect(
      doc
        .securitySchemes()
        .all()
        .map((s) => `${s.type()} ${s.scheme()}`),
    ).toEqual(['http bearer']);
  });

  it('a type-restricted token sees only its streams and types, and operations it may do', async () => {
    const { token } = await gw.issue({
      grants: [{ stream: 'platform', operations: ['SUBSCRIBE'], types: ['app.*'] }],
    });
    const doc = await parsed(token);
    expect(channelsOf(doc)).toEqual(['platform']);
    const types = messagesOf(doc, 'platform');
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((t) => t?.startsWith('app.'))).toBe(true);
    expect(operationsOf(doc)).toEqual(['receive platform']);
  });

  it('a tenant token sees its tenant in the headers', async () => {
    const { token } = await gw.issue({
      tenant: 'acme',
      grants: [{ stream: 'team-a.*', operations: ['PUBLISH'] }],
    });
    const doc = await parsed(token);
    expect(channelsOf(doc)).toEqual(['team-a.orders']);
    expect(operationsOf(doc)).toEqual(['send team-a.orders']);
    const placed = doc
      .allMessages()
      .all()
      .find((m) => m.name() === 'order.placed')!;
    expect(placed.headers()!.properties()!['tenant']!.const()).toBe('acme');
  });

  it('follows the registry at once', async () => {
    const { token } = await gw.issue({
      grants: [{ stream: 'team-a.*', operations: ['SUBSCRIBE'] }],
    });
    expect(messagesOf(await parsed(token), 'team-a.orders')).not.toContain('order.cancelled');
    await setupStream(gw, 'team-a.refunds', []);
    const registered = await gw.graphql(
      `mutation { registerEventType(input: { type: "order.cancelled", stream: "team-a.orders",
         schema: { type: "object", properties: { reason: { type: "string" } } } }) { type } }`,
    );
    expect(codesOf(registered)).toEqual(['OK']);
    const doc = await parsed(token);
    expect(channelsOf(doc)).toEqual(['team-a.orders', 'team-a.refunds']);
    expect(messagesOf(doc, 'team-a.orders')).toContain('order.cancelled');

    const deprecated = await gw.graphql(
      `mutation { deprecateEventType(type: "order.cancelled", reason: "use order.refunded") { type } }`,
    );
    expect(codesOf(deprecated)).toEqual(['OK']);
    const cancelled = (await parsed(token))
      .allMessages()
      .all()
      .find((m) => m.name() === 'order.cancelled')!;
    expect(cancelled.extensions().get('x-deprecated')?.value()).toBe('use order.refunded');
  });

  it('answers UNAUTHENTICATED without a valid token', async () => {
    const missing = await fetchDocument(null);
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('UNAUTHENTICATED');
    expect((await fetchDocument('sgt_unknown')).status).toBe(401);
  });
});
