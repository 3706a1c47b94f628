import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../src/errors.js';
import { createAuthThrottle } from '../../src/auth/auth-throttle.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import type { AuthenticatorOptions } from '../../src/auth/authenticate.js';
import { createTokenRecord } from '../../src/auth/token-record.js';
import type { TokenRecord } from '../../src/auth/token-record.js';
import { generateToken, verifySecret } from '../../src/auth/token-secret.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

async function setup(options: Partial<AuthenticatorOptions> = {}) {
  const records = new Map<string, TokenRecord>();
  const issued = await createTokenRecord({
    name: 'svc',
    tenant: 'acme',
    grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    expiresAt: '2030-06-01T00:00:00.000Z',
    createdBy: 'admin',
    scrypt: { logN: 10 },
  });
  records.set(issued.record.id, issued.record);
  let verifications = 0;
  let time = NOW;
  const auth = createAuthenticator({
    findToken: (id) => records.get(id),
    adminToken: 'the admin token',
    verify: (secret, hash) => {
      verifications += 1;
      return verifySecret(secret, hash);
    },
    now: () => time,
    ...options,
  });
  return {
    auth,
    records,
    ...issued,
    verifications: () => verifications,
    setTime: (value: number) => (time = value),
  };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return {
      code: errorCodeOf(error),
      error: error as Error & { extensions: Record<string, unknown> },
    };
  }
  throw new Error('authentication succeeded');
}

describe('createAuthenticator', () => {
  it('turns a valid bearer token into its principal, paying scrypt only once', async () => {
    const { auth, token, record, verifications } = await setup();
    const principal = await auth.authenticate(`Bearer ${token}`, '10.0.0.1');
    expect(principal).toMatchObject({
      tokenId: record.id,
      name: 'svc',
      tenant: 'acme',
      admin: false,
    });
    await auth.authenticate(`Bearer ${token}`, '10.0.0.1');
    await auth.authenticate(token, '10.0.0.2');
    expect(verifications()).toBe(1);
  });

  it('shares one verification among concurrent requests with the same token', async () => {
    const { auth, token, verifications } = await setup();
    await Promise.all(
      Array.from({ length: 10 }, () => auth.authenticate(`Bearer ${token}`, '10.0.0.1')),
    );
    expect(verifications()).toBe(1);
  });

  it('accepts the admin token as the admin principal', async () => {
    const { auth } = await setup();
    expect(await auth.authenticate('Bearer the admin token', '10.0.0.1')).toMatchObject({
      admin: true,
      tokenId: null,
    });
  });

  it('answers UNAUTHENTICATED for missing, malformed, unknown and wrong-secret tokens', async () => {
    const { auth, record, verifications } = await setup();
    for (const header of [
      undefined,
      '',
      'Basic abc',
      'Bearer nonsense',
      `Bearer ${generateToken().token}`,
    ]) {
      expect((await failure(auth.authenticate(header, '10.0.0.1'))).code).toBe('UNAUTHENTICATED');
    }
    // An unknown id costs one scrypt (against a dummy hash), as a wrong secret for a known id
    // does: the time of a failure tells nothing about which ids exist. Malformed ones cost none.
    expect(verifications()).toBe(1);
    const wrongSecret = `sg_${record.id}_${generateToken().secret}`;
    expect((await failure(auth.authenticate(`Bearer ${wrongSecret}`, '10.0.0.1'))).code).toBe(
      'UNAUTHENTICATED',
    );
    expect(verifications()).toBe(2);
  });

  it('stops accepting a token at once when it is revoked or expires, cached or not', async () => {
    const { auth, token, record, records, setTime } = await setup();
    await auth.authenticate(`Bearer ${token}`, '10.0.0.1');
    setTime(Date.parse(record.expiresAt ?? ''));
    expect((await failure(auth.authenticate(`Bearer ${token}`, '10.0.0.1'))).code).toBe(
      'UNAUTHENTICATED',
    );
    setTime(NOW);
    await auth.authenticate(`Bearer ${token}`, '10.0.0.1');
    records.set(record.id, { ...record, revokedAt: new Date(NOW).toISOString() });
    auth.invalidate(record.id);
    expect((await failure(auth.authenticate(`Bearer ${token}`, '10.0.0.1'))).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses a guessing address with RATE_LIMITED, one hash at a time, but never a valid token', async () => {
    const throttle = createAuthThrottle({ maxFailures: 3 });
    const { auth, token, record, verifications } = await setup({ throttle });
    const guess = () => `Bearer sg_${record.id}_${generateToken().secret}`;
    for (let i = 0; i < 3; i++) {
      expect((await failure(auth.authenticate(guess(), '203.0.113.9'))).code).toBe(
        'UNAUTHENTICATED',
      );
    }
    expect(verifications()).toBe(3);
    // Blocked: guesses are refused; arriving together, all but one without any hash.
    const refused = await Promise.all(
      Array.from({ length: 5 }, () => failure(auth.authenticate(guess(), '203.0.113.9'))),
    );
    expect(refused.map((r) => r.code)).toEqual(Array(5).fill('RATE_LIMITED'));
    expect(refused[0]!.error.extensions['retryAfterSeconds']).toBeGreaterThan(0);
    expect(verifications()).toBe(4);
    // Garbage is refused without a hash.
    expect((await failure(auth.authenticate('Bearer garbage', '203.0.113.9'))).code).toBe(
      'RATE_LIMITED',
    );
    expect(verifications()).toBe(4);
    // A valid token from the same address (a client behind the same proxy) gets in, and the
    // admin token too.
    expect((await auth.authenticate(`Bearer ${token}`, '203.0.113.9')).tokenId).toBe(record.id);
    expect((await auth.authenticate('Bearer the admin token', '203.0.113.9')).admin).toBe(true);
    expect(throttle.check('203.0.113.9').ok).toBe(false);
    // other clients are unaffected
    expect((await auth.authenticate(`Bearer ${token}`, '203.0.113.10')).tokenId).toBe(record.id);
  });

  it('does not count revoked or expired tokens as guesses', async () => {
    const throttle = createAuthThrottle({ maxFailures: 2 });
    const { auth, token, record, records } = await setup({ throttle });
    records.set(record.id, { ...record, revokedAt: new Date(NOW).toISOString() });
    for (let i = 0; i < 5; i++) await failure(auth.authenticate(`Bearer ${token}`, '10.0.0.1'));
    expect(throttle.check('10.0.0.1').ok).toBe(true);
  });
});
