/**
 * Finding 10 of the hardening review: issueToken accepted `publishPerSecond <= 0` and
 * `maxSubscriptions < 0` (a token nobody could use), and revoking such a token answered
 * "Unexpected error.". Now such limits are refused with BAD_USER_INPUT, and revoking any token,
 * even one written before the check, answers in the contract's terms.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTokenService } from '../../src/auth/token-service.js';
import { adminPrincipal } from '../../src/auth/token-record.js';
import type { Registry } from '../../src/registry/registry.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const ISSUE = 'mutation($input: IssueTokenInput!) { issueToken(input: $input) { id token } }';
const REVOKE = 'mutation($id: ID!) { revokeToken(id: $id) }';

describe('token limits and revocation', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGatewayProcess();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  const input = (limits: Record<string, number>) => ({
    input: {
      name: 'limited',
      grants: [{ stream: 'platform', operations: ['SUBSCRIBE'] }],
      ...limits,
    },
  });

  test('limits no token could live with are refused with BAD_USER_INPUT', async () => {
    for (const limits of <Record<string, number>[]>[
      { publishPerSecond: 0 },
      { publishPerSecond: -1 },
      { maxSubscriptions: -1 },
    ]) {
      const answer = await gateway.graphql(ISSUE, input(limits));
      expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(limits)).toBe('BAD_USER_INPUT');
    }
    const fine = await gateway.graphql(
      ISSUE,
      input({ publishPerSecond: 0.5, maxSubscriptions: 0 }),
    );
    expect(fine.errors).toBeUndefined();
  });

  test('revoking answers true, then false, and NOT_FOUND for what does not exist; never an unexpected error', async () => {
    const issued = await gateway.graphql(ISSUE, input({}));
    const id = issued.data.issueToken.id as string;
    expect((await gateway.graphql(REVOKE, { id })).data).toEqual({ revokeToken: true });
    expect((await gateway.graphql(REVOKE, { id })).data).toEqual({ revokeToken: false });
    for (const unknown of ['0123456789abcdef', 'nope', '']) {
      const answer = await gateway.graphql(REVOKE, { id: unknown });
      expect(answer.errors?.[0]?.extensions?.code, unknown).toBe('NOT_FOUND');
    }
  });

  test('a token stored with limits from before the check is refused at use and can be revoked', async () => {
    const stored = {
      id: 'aaaaaaaaaaaaaaaa',
      name: 'legacy',
      tenant: null,
      grants: [{ stream: 'platform', operations: ['SUBSCRIBE'] }],
      secretHash: '$scrypt$ln=10,r=8,p=1$c2FsdA$a2V5',
      expiresAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: 'admin',
      limits: { publishPerSecond: 0, maxSubscriptions: -1 },
    };
    const written: unknown[] = [];
    const registry = {
      state: { tokens: new Map([[stored.id, { token: stored, revokedAt: undefined }]]) },
      write: async (record: unknown) => {
        written.push(record);
        return { accepted: true };
      },
    } as unknown as Registry; // only what the token service reads of a registry
    const tokens = createTokenService({ registry });
    expect(tokens.find(stored.id)).toBeUndefined();
    expect(await tokens.revoke(adminPrincipal, stored.id)).toBe(true);
    expect(written).toMatchObject([{ kind: 'revocation', id: stored.id }]);
  });
});
