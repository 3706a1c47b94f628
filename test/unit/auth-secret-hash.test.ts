import { describe, expect, it } from 'vitest';
import { hashScrypt } from '../../src/auth/scrypt-hash.js';
import {
  hashSecret,
  isFastHash,
  isSecretHash,
  unknownTokenHash,
  verifySecret,
} from '../../src/auth/secret-hash.js';
import { generateToken, parseToken } from '../../src/auth/token-secret.js';

describe('hashSecret / verifySecret (SHA-256, new tokens)', () => {
  it('stores a self-describing digest that verifies the right secret and nothing else', async () => {
    const { secret, token } = generateToken();
    const hash = hashSecret(secret);
    expect(hash).toMatch(/^\$sha256\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain(secret);
    expect(isSecretHash(hash)).toBe(true);
    expect(isFastHash(hash)).toBe(true);
    expect(await verifySecret(secret, hash)).toBe(true);
    expect(await verifySecret(generateToken().secret, hash)).toBe(false);
    expect(await verifySecret(token, hash)).toBe(false);
    expect(await verifySecret('', hash)).toBe(false);
  });

  it('rejects a tampered token: one changed character of the secret', async () => {
    const { secret, token } = generateToken();
    const hash = hashSecret(secret);
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    const tampered = parseToken(`${token.slice(0, -1)}${last}`);
    expect(tampered).toBeDefined();
    expect(await verifySecret(tampered?.secret ?? '', hash)).toBe(false);
  });

  it('matches no secret with the unknown-id stand-in, a hash of the same kind', async () => {
    const dummy = unknownTokenHash();
    expect(dummy).toMatch(/^\$sha256\$[A-Za-z0-9_-]{43}$/);
    expect(isFastHash(dummy)).toBe(true);
    expect(unknownTokenHash()).not.toBe(dummy);
    expect(await verifySecret(generateToken().secret, dummy)).toBe(false);
  });

  it('answers false for malformed hashes', async () => {
    const { secret } = generateToken();
    const hash = hashSecret(secret);
    for (const bad of [
      '',
      'plain',
      hash.slice(0, -1),
      `${hash}A`,
      hash.replace('sha256', 'sha1'),
    ]) {
      expect(await verifySecret(secret, bad), bad).toBe(false);
      expect(isSecretHash(bad), bad).toBe(false);
    }
  });
});

describe('legacy scrypt hashes (records of existing registries)', () => {
  it('keep verifying the right secret and nothing else, on the slow path', async () => {
    const { secret } = generateToken();
    const hash = await hashScrypt(secret);
    expect(hash).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(isSecretHash(hash)).toBe(true);
    expect(isFastHash(hash)).toBe(false);
    expect(await verifySecret(secret, hash)).toBe(true);
    expect(await verifySecret(generateToken().secret, hash)).toBe(false);
  });

  it('verify whatever cost they were written with', async () => {
    const { secret } = generateToken();
    const cheap = await hashScrypt(secret, { logN: 10 });
    expect(cheap).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(cheap).not.toBe(await hashScrypt(secret, { logN: 10 }));
    expect(await verifySecret(secret, cheap)).toBe(true);
  });

  it('answers false for malformed or abusive ones instead of computing them', async () => {
    const { secret } = generateToken();
    const hash = await hashScrypt(secret, { logN: 10 });
    const [, , , salt, key] = hash.split('$');
    for (const bad of [
      hash.replace('$scrypt$', '$argon2$'),
      `$scrypt$ln=30,r=8,p=1$${salt}$${key}`,
      `$scrypt$ln=20,r=99,p=1$${salt}$${key}`,
      `$scrypt$ln=10,r=8,p=99$${salt}$${key}`,
      `$scrypt$ln=10,r=8,p=1$${salt}$${key?.slice(0, 20)}`,
    ]) {
      expect(await verifySecret(secret, bad), bad).toBe(false);
    }
  });
});
