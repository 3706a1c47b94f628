/**
 * No secret in a log line or an error: a gateway at LOG_LEVEL=debug goes through token issuing,
 * authentication failures of every kind, publishes and subscriptions over every door, and then
 * neither its output nor any error a client received holds an issued token, a token's secret,
 * a stored hash, or the admin token.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import {
  codesOf,
  publishUntilLive,
  setupStream,
  startTestGateway,
  type Caller,
  type TestGateway,
} from '../auth/auth-harness.js';
import { collect } from '../auth/subscription-probe.js';

describe('secrets stay out of logs and errors', () => {
  let gw: TestGateway;
  /** Every error text a client was shown. */
  const shown: string[] = [];
  const secrets: string[] = [];

  /** The secret part of `sg_<id>_<secret>`, kept so the test can look for it alone. */
  const remember = (token: string) => {
    secrets.push(token);
    if (token.startsWith('sg_')) secrets.push(token.split('_').slice(2).join('_'));
    return token;
  };

  const graphql = async (query: string, variables: Record<string, unknown>, caller: Caller) => {
    const response = await gw.graphql(query, variables, caller);
    for (const error of response.errors ?? []) shown.push(JSON.stringify(error));
    return response;
  };

  beforeAll(async () => {
    gw = await startTestGateway({ env: { LOG_LEVEL: 'debug' } });
    secrets.push(gw.adminToken);
    await setupStream(gw, 'orders', ['order.created']);
  });
  afterAll(() => gw?.close());

  it('does not log or echo secrets, whatever happens', { timeout: 60_000 }, async () => {
    const admin = gw.admin;
    const lead = remember(
      (
        await gw.issue({
          name: 'lead',
          grants: [{ stream: 'orders', operations: ['MANAGE', 'PUBLISH', 'SUBSCRIBE'] }],
        })
      ).token,
    );
    const issuedByLead = await graphql(
      `
        mutation ($input: IssueTokenInput!) {
          issueToken(input: $input) {
            id
            token
          }
        }
      `,
      {
        input: {
          name: 'worker',
          grants: [{ stream: 'orders', operations: ['PUBLISH', 'SUBSCRIBE'] }],
        },
      },
      { token: lead },
    );
    const worker = remember(issuedByLead.data.issueToken.token as string);
    const { id: doomedId, token: doomed } = await gw.issue({
      name: 'doomed',
      grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    });
    remember(doomed);

    // Authentication failures of every kind, on every door.
    const [, leadId] = lead.split('_');
    const wrongSecret = remember(`sg_${leadId}_${randomBytes(32).toString('base64url')}`);
    const adminGuess = remember(`${gw.adminToken}x`);
    const failing = [
      wrongSecret,
      adminGuess,
      remember(`Basic ${randomBytes(12).toString('base64')}`),
      remember(lead.slice(0, -1)),
    ];
    for (const [index, token] of failing.entries()) {
      const address = `127.0.55.${index + 1}`;
      await graphql('{ me { name } }', {}, { token, address });
      const ce = await gw.postEvents(
        { specversion: '1.0', id: 'x', source: 't', type: 'order.created', data: { orderId: 'x' } },
        { token, address },
      );
      shown.push(JSON.stringify(ce.body));
      const socket = collect(
        gw.wsClient({ token, address }),
        `subscription { events(streams: ["orders"]) { id } }`,
      );
      const sse = collect(
        gw.sseClient({ token, address }),
        `subscription { events(streams: ["orders"]) { id } }`,
      );
      await waitFor(() => socket.closeCode !== undefined && sse.ended, { what: 'the refusals' });
      shown.push(String(socket.closeReason), String(sse.failure ?? ''));
      socket.dispose();
      sse.dispose();
    }

    // Work as usual: publishes on every path, subscriptions over both transports.
    const ws = collect(
      gw.wsClient({ token: worker }),
      `subscription { events(streams: ["orders"]) { id } }`,
    );
    const sse = collect(
      gw.sseClient({ token: lead }),
      `subscription { events(streams: ["orders"]) { id } }`,
    );
    const doomedSocket = collect(
      gw.wsClient({ token: doomed }),
      `subscription { events(streams: ["orders"]) { id } }`,
    );
    await publishUntilLive([ws, sse, doomedSocket], async () => {
      const published = await graphql(
        `
          mutation {
            publishJson(event: { type: "order.created", resourceId: "a", data: { orderId: "a" } }) {
              id
            }
          }
        `,
        {},
        { token: worker },
      );
      expect(codesOf(published)).toEqual(['OK']);
    });
    const ce = await gw.postEvents(
      { specversion: '1.0', id: 'y', source: 't', type: 'order.created', data: { orderId: 'y' } },
      { token: lead },
    );
    expect(ce.status).toBe(200);
    // Bad input and refused operations with a valid token: their errors must not echo it.
    await graphql(
      `
        mutation {
          publishJson(event: { type: "order.created", data: { nope: 1 } }) {
            id
          }
        }
      `,
      {},
      { token: worker },
    );
    await graphql(
      `
        mutation ($id: ID!) {
          revokeToken(id: $id)
        }
      `,
      { id: doomedId },
      { token: worker },
    );
    await graphql(
      `
        mutation {
          createStream(input: { name: "elsewhere" }) {
            name
          }
        }
      `,
      {},
      { token: worker },
    );
    // Revocation ends a live socket; its token is then refused.
    await graphql(
      `
        mutation ($id: ID!) {
          revokeToken(id: $id)
        }
      `,
      { id: doomedId },
      admin,
    );
    await waitFor(() => doomedSocket.closeCode !== undefined, {
      what: 'the revoked socket to close',
    });
    await graphql('{ me { name } }', {}, { token: doomed });
    shown.push(String(doomedSocket.closeReason));
    ws.dispose();
    sse.dispose();

    const output = gw.process.output();
    expect(await gw.process.stop()).toBe(0);
    const logged = gw.process.output();
    // The run did log at debug level, and did show errors: else this test proves nothing.
    expect(output).toMatch(/"level":"debug"/);
    expect(shown.length).toBeGreaterThan(10);

    const leaks = secrets.flatMap((secret) => [
      ...(logged.includes(secret) ? [`log holds ${secret.slice(0, 6)}…`] : []),
      ...shown
        .filter((text) => text.includes(secret))
        .map(() => `an error holds ${secret.slice(0, 6)}…`),
    ]);
    expect(leaks).toEqual([]);
    expect(logged).not.toContain('$sha256$');
    expect(logged).not.toContain('$scrypt$');
  });
});
