import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  createAdminTokenCheck,
  generateToken,
  parseToken,
} from '../../src/auth/token-secret.js';

describe('generateToken / parseToken', () => {
  it('makes sg_<16 hex>_<43 base64url> tokens that parse back to id and secret', () => {
    const { id, secret, token } = generateToken();
    expect(token).toMatch(/^sg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(token).toBe(`sg_${id}_${secret}`);
    expect(parseToken(token)).toEqual({ id, secret });
    expect(parseToken(`Bearer ${token}`)).toEqual({ id, secret });
  });

  it('never makes the same token twice', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken().token));
    const ids = new Set([...tokens].map((token) => parseToken(token)?.id));
    expect(tokens.size).toBe(1000);
    expect(ids.size).toBe(1000);
  });

  it('rejects anything not of the format', () => {
    const { id, secret } = generateToken();
    for (const bad of [
      '',
      'sg_',
      `xx_${id}_${secret}`,
      `sg_${id.slice(1)}_${secret}`,
      `sg_${id.toUpperCase().replace(/[0-9]/g, 'A')}_${secret}`,
      `sg_${id}_${secret.slice(1)}`,
      `sg_${id}_${secret}x`,
      `sg_${id}${secret}`,
      `sg_${id}_${secret.slice(0, 42)}=`,
      `Basic sg_${id}_${secret}`,
    ]) {
      expect(parseToken(bad), bad).toBeUndefined();
    }
  });
});

describe('bearerToken', () => {
  it('takes the credentials of the Bearer scheme, any case, or a bare value', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });
});

describe('createAdminTokenCheck', () => {
  it('accepts exactly the admin token, whatever its format', () => {
    const isAdmin = createAdminTokenCheck('my admin secret');
    expect(isAdmin('my admin secret')).toBe(true);
    expect(isAdmin('my admin secreT')).toBe(false);
    expect(isAdmin('my admin secret ')).toBe(false);
    expect(isAdmin('')).toBe(false);
    expect(isAdmin('x'.repeat(10_000))).toBe(false);
  });

  it('refuses an empty admin token', () => {
    expect(() => createAdminTokenCheck('  ')).toThrow(/empty/);
  });
});
