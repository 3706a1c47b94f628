import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../src/errors.js';
import { createAuthThrottle } from '../../src/auth/auth-throttle.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import type { AuthenticatorOptions } from '../../src/auth/authenticate.js';
import { createTokenRecord } from '../../src/auth/token-record.js';
import type { TokenRecord } from '../../src/auth/token-record.js';
import { hashScrypt } from '../../src/auth/scrypt-hash.js';
import { verifySecret } from '../../src/auth/secret-hash.js';
import { generateToken, parseToken } from '../../src/auth/token-secret.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

/** A token record as issued now; `legacy`: stored with scrypt, as older versions did. */
async function issue(legacy = false): Promise<{ record: TokenRecord; token: string }> {
  const issued = createTokenRecord({
    name: 'svc',
    tenant: 'acme',
    grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }],
    expiresAt: '2030-06-01T00:00:00.000Z',
    createdBy: 'admin',
  });
  if (!legacy) return issued;
  const secret = parseToken(issued.token)?.secret ?? '';
  const secretHash = await hashScrypt(secret, { logN: 10 });
  return { token: issued.token, record: { ...issued.record, secretHash } };
}

async function setup(options: Partial<AuthenticatorOptions> = {}, legacy = false) {
  const records = new Map<string, TokenRecord>();
  const issued = await issue(legacy);
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
  /** Another valid token in the registry, never presented yet. */
  const another = async (anotherLegacy = false) => {
    const next = await issue(anotherLegacy);
    records.set(next.record.id, next.record);
    return next.token;
  };
  return {
    auth,
    records,
    another,
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
  it('turns a valid bearer token into its principal, verifying it only once', async () => {
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
    // An unknown id costs one verification (against a dummy hash of the kind new tokens are
    // stored with), as a wrong secret for a known id does: the time of a failure tells nothing
    // about which ids exist. Malformed ones cost none.
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

  it('refuses a guessing address with RATE_LIMITED, yet lets in every valid token from it', async () => {
    const throttle = createAuthThrottle({ maxFailures: 3 });
    const { auth, token, record, another, verifications } = await setup({ throttle });
    const guess = () => `Bearer sg_${record.id}_${generateToken().secret}`;
    for (let i = 0; i < 3; i++) {
      expect((await failure(auth.authenticate(guess(), '203.0.113.9'))).code).toBe(
        'UNAUTHENTICATED',
      );
    }
    expect(throttle.check('203.0.113.9').ok).toBe(false);
    // Blocked: guesses, of known ids or not, are refused with RATE_LIMITED (after a SHA-256 check
    // of microseconds each); garbage without any check.
    const unknownId = () => `Bearer ${generateToken().token}`;
    const refused = await Promise.all(
      [guess, unknownId, guess, unknownId, guess].map((g) =>
        failure(auth.authenticate(g(), '203.0.113.9')),
      ),
    );
    expect(refused.map((r) => r.code)).toEqual(Array(5).fill('RATE_LIMITED'));
    expect(refused[0]!.error.extensions['retryAfterSeconds']).toBeGreaterThan(0);
    expect((await failure(auth.authenticate('Bearer garbage', '203.0.113.9'))).code).toBe(
      'RATE_LIMITED',
    );
    const checked = verifications();
    // Valid tokens never presented before, arriving together with guesses from the very same
    // address (clients behind the guesser's proxy), all get in; so do the admin and a token
    // verified before.
    const fresh = await Promise.all(Array.from({ length: 5 }, () => another()));
    const mixed = await Promise.allSettled([
      ...fresh.map((t) => auth.authenticate(`Bearer ${t}`, '203.0.113.9')),
      ...Array.from({ length: 5 }, () => auth.authenticate(guess(), '203.0.113.9')),
    ]);
    expect(mixed.map((r) => r.status)).toEqual([
      ...Array(5).fill('fulfilled'),
      ...Array(5).fill('rejected'),
    ]);
    expect(verifications()).toBe(checked + 10);
    expect((await auth.authenticate(`Bearer ${token}`, '203.0.113.9')).tokenId).toBe(record.id);
    expect((await auth.authenticate('Bearer the admin token', '203.0.113.9')).admin).toBe(true);
    expect(throttle.check('203.0.113.9').ok).toBe(false);
    // other clients are unaffected
    expect((await auth.authenticate(`Bearer ${await another()}`, '203.0.113.10')).name).toBe('svc');
  });

  it('keeps accepting tokens stored with scrypt by older versions, verified once', async () => {
    const { auth, token, record, verifications } = await setup({}, true);
    expect(record.secretHash).toMatch(/^\$scrypt\$/);
    expect((await auth.authenticate(`Bearer ${token}`, '10.0.0.1')).tokenId).toBe(record.id);
    await auth.authenticate(`Bearer ${token}`, '10.0.0.2');
    expect(verifications()).toBe(1);
    const wrong = `Bearer sg_${record.id}_${generateToken().secret}`;
    expect((await failure(auth.authenticate(wrong, '10.0.0.1'))).code).toBe('UNAUTHENTICATED');
  });

  it('guards scrypt from a blocked address: one legacy verification at a time', async () => {
    const throttle = createAuthThrottle({ maxFailures: 3 });
    const { auth, token, record, verifications } = await setup({ throttle }, true);
    const guess = () => `Bearer sg_${record.id}_${generateToken().secret}`;
    for (let i = 0; i < 3; i++) await failure(auth.authenticate(guess(), '203.0.113.9'));
    expect(verifications()).toBe(3);
    // Blocked: guesses at the legacy token's secret arriving together cost one scrypt in all.
    const refused = await Promise.all(
      Array.from({ length: 5 }, () => failure(auth.authenticate(guess(), '203.0.113.9'))),
    );
    expect(refused.map((r) => r.code)).toEqual(Array(5).fill('RATE_LIMITED'));
    expect(verifications()).toBe(4);
    // The legacy token itself, when no other legacy verification from there is under way, gets in.
    expect((await auth.authenticate(`Bearer ${token}`, '203.0.113.9')).tokenId).toBe(record.id);
    expect(verifications()).toBe(5);
  });

  it('does not count revoked or expired tokens as guesses', async () => {
    const throttle = createAuthThrottle({ maxFailures: 2 });
    const { auth, token, record, records } = await setup({ throttle });
    records.set(record.id, { ...record, revokedAt: new Date(NOW).toISOString() });
    for (let i = 0; i < 5; i++) await failure(auth.authenticate(`Bearer ${token}`, '10.0.0.1'));
    expect(throttle.check('10.0.0.1').ok).toBe(true);
  });
});
