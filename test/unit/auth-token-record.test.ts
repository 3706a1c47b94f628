import { describe, expect, it } from 'vitest';
import {
  adminPrincipal,
  createTokenRecord,
  parseTokenRecord,
  principalFromRecord,
  tokenStatus,
} from '../../src/auth/token-record.js';
import { defaultRateLimits } from '../../src/auth/rate-limit.js';
import { hashScrypt } from '../../src/auth/scrypt-hash.js';
import { verifySecret } from '../../src/auth/secret-hash.js';
import { parseToken } from '../../src/auth/token-secret.js';

async function newRecord(overrides: { expiresAt?: string | null; tenant?: string | null } = {}) {
  return createTokenRecord({
    name: 'ci-bot',
    tenant: overrides.tenant ?? null,
    grants: [{ stream: 'orders', operations: ['PUBLISH'], types: ['order.*'] }],
    expiresAt: overrides.expiresAt ?? null,
    createdBy: 'admin',
    now: Date.parse('2030-01-01T00:00:00Z'),
  });
}

describe('createTokenRecord', () => {
  it('stores a hash that verifies the token’s secret, and never the secret', async () => {
    const { record, token } = await newRecord();
    const parsed = parseToken(token);
    expect(parsed?.id).toBe(record.id);
    expect(record.secretHash).toMatch(/^\$sha256\$/);
    expect(await verifySecret(parsed?.secret ?? '', record.secretHash)).toBe(true);
    const stored = JSON.stringify(record);
    expect(stored).not.toContain(parsed?.secret);
    expect(record).toMatchObject({
      name: 'ci-bot',
      tenant: null,
      createdAt: '2030-01-01T00:00:00.000Z',
      createdBy: 'admin',
      limits: defaultRateLimits,
    });
  });
});

describe('parseTokenRecord', () => {
  it('reads back what was stored as JSON', async () => {
    const { record } = await newRecord({ tenant: 'acme', expiresAt: '2031-01-01T00:00:00.000Z' });
    const revoked = { ...record, revokedAt: '2030-02-01T00:00:00.000Z' };
    expect(parseTokenRecord(JSON.parse(JSON.stringify(revoked)))).toEqual(revoked);
  });

  it('reads a record written by an older version, with a scrypt hash', async () => {
    const { record, token } = await newRecord();
    const secret = parseToken(token)?.secret ?? '';
    const legacy = { ...record, secretHash: await hashScrypt(secret, { logN: 10 }) };
    const parsed = parseTokenRecord(JSON.parse(JSON.stringify(legacy)));
    expect(parsed).toEqual(legacy);
    expect(await verifySecret(secret, parsed.secretHash)).toBe(true);
  });

  it('fills default limits for records written without them', async () => {
    const { record } = await newRecord();
    const { limits: _limits, ...withoutLimits } = record;
    expect(parseTokenRecord(withoutLimits).limits).toEqual(defaultRateLimits);
  });

  it('rejects a malformed record with a message naming the field', async () => {
    const { record } = await newRecord();
    expect(() => parseTokenRecord({ ...record, id: 'short' })).toThrow(
      /Invalid token record[\s\S]*id/,
    );
    expect(() => parseTokenRecord({ ...record, secretHash: 'plain' })).toThrow(/secretHash/);
    expect(() =>
      parseTokenRecord({ ...record, grants: [{ stream: 'a*b', operations: ['PUBLISH'] }] }),
    ).toThrow(/grants/);
    expect(() => parseTokenRecord(null)).toThrow(/Invalid token record/);
  });
});

describe('principalFromRecord', () => {
  it('carries everything but the hash, so logging a principal cannot leak it', async () => {
    const { record } = await newRecord({ tenant: 'acme' });
    const principal = principalFromRecord(record);
    expect(principal).toEqual({
      tokenId: record.id,
      name: 'ci-bot',
      admin: false,
      tenant: 'acme',
      grants: record.grants,
      expiresAt: null,
      limits: defaultRateLimits,
    });
    const hashBody = record.secretHash.split('$').at(-1) ?? '';
    expect(JSON.stringify(principal)).not.toContain(hashBody);
    expect(JSON.stringify(principal)).not.toContain('$sha256$');
  });

  it('is frozen, so no resolver can widen it', async () => {
    const { record } = await newRecord();
    const principal = principalFromRecord(record);
    expect(() => {
      (principal as { admin: boolean }).admin = true;
    }).toThrow(TypeError);
    expect(() => {
      (principal.grants as unknown[]).push({ stream: '*', operations: ['MANAGE'] });
    }).toThrow(TypeError);
    expect(Object.isFrozen(adminPrincipal)).toBe(true);
  });
});

describe('tokenStatus', () => {
  it('tells active, expired and revoked apart', async () => {
    const { record } = await newRecord({ expiresAt: '2030-06-01T00:00:00.000Z' });
    const before = Date.parse('2030-05-31T23:59:59Z');
    const at = Date.parse('2030-06-01T00:00:00Z');
    expect(tokenStatus(record, before)).toBe('active');
    expect(tokenStatus(record, at)).toBe('expired');
    expect(tokenStatus({ ...record, revokedAt: '2030-02-01T00:00:00Z' }, before)).toBe('revoked');
    expect(tokenStatus({ ...record, expiresAt: null }, at + 1e12)).toBe('active');
  });
});
