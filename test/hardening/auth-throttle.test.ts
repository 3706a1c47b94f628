/**
 * Finding 3 of the hardening review, as the attacker does it: behind a load balancer every
 * client shares one peer address; 10 garbage tokens from it used to lock everyone behind it
 * out, the admin included, for 60 s. Now the throttle never blocks a valid token, not even one
 * never presented before from the guessers' own address while they keep guessing (it got in
 * 1 of 19–24 times while secrets were stored with scrypt), and with GATEWAY_TRUSTED_PROXIES it
 * counts the client address the proxy reports.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateToken } from '../../src/auth/token-secret.js';
import { graphqlOk } from '../support/clients.js';
import { meFrom } from '../support/forwarded-client.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const ME = '{ me { name } }';

describe('the failed-authentication throttle', () => {
  let gateway: GatewayProcess;
  let issuedToken: string;

  const me = (token: string, client?: string) => meFrom(gateway, token, client);
  const garbage = (i: number) => `garbage${i}`;
  const issue = async (name: string) =>
    (
      await graphqlOk<{ issueToken: { token: string } }>(
        gateway,
        `mutation { issueToken(input: { name: "${name}", grants: [{ stream: "platform", operations: [SUBSCRIBE] }] }) { token } }`,
      )
    ).issueToken.token;

  beforeAll(async () => {
    // The test client connects from 127.0.0.1: the load balancer the gateway trusts.
    gateway = await startGatewayProcess({ env: { GATEWAY_TRUSTED_PROXIES: '127.0.0.1' } });
    issuedToken = await issue('svc');
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  test('10 garbage tokens, then the admin token and a valid token from the same address: both work', async () => {
    const attacker = '198.51.100.66';
    for (let i = 0; i < 10; i++)
      expect((await me(garbage(i), attacker)).code).toBe('UNAUTHENTICATED');
    // The attacker is blocked...
    const blocked = await me(garbage(10), attacker);
    expect([blocked.status, blocked.code]).toEqual([429, 'RATE_LIMITED']);
    // ...valid tokens from the very same address are not.
    expect((await me(gateway.adminToken, attacker)).body).toEqual({
      data: { me: { name: 'admin' } },
    });
    expect((await me(issuedToken, attacker)).body).toEqual({ data: { me: { name: 'svc' } } });
    // Nor is anyone else behind the load balancer, with any token.
    expect((await me(garbage(11), '203.0.113.5')).code).toBe('UNAUTHENTICATED');
    expect((await me(issuedToken, '203.0.113.5')).code).toBe('OK');
  });

  test('8 guessers non-stop from one address: every never-used valid token from it gets in', async () => {
    const attacker = '198.51.100.77';
    const fresh = await Promise.all(Array.from({ length: 20 }, (_, i) => issue(`fresh${i}`)));
    let guessing = true;
    const guessCodes: Record<string, number> = {};
    const guessers = Array.from({ length: 8 }, async () => {
      while (guessing) {
        const { code } = await me(generateToken().token, attacker);
        guessCodes[code] = (guessCodes[code] ?? 0) + 1;
      }
    });
    try {
      // Blocked after 10 failures; let the guessers run on for a while.
      while ((guessCodes['RATE_LIMITED'] ?? 0) < 50) await new Promise((r) => setTimeout(r, 20));
      const outcomes: string[] = [];
      for (const [i, token] of fresh.entries()) {
        const answer = await me(token, attacker);
        outcomes.push(answer.code);
        expect(answer.body.data, answer.code).toEqual({ me: { name: `fresh${i}` } });
      }
      expect(outcomes).toEqual(Array(20).fill('OK'));
    } finally {
      guessing = false;
      await Promise.all(guessers);
    }
    // The guesses themselves never got in: refused as unknown until the block (10 failures, plus
    // at most the 7 other guesses already being checked), rate-limited after.
    expect(Object.keys(guessCodes).sort()).toEqual(['RATE_LIMITED', 'UNAUTHENTICATED']);
    expect(guessCodes['UNAUTHENTICATED']).toBeGreaterThanOrEqual(10);
    expect(guessCodes['UNAUTHENTICATED']).toBeLessThanOrEqual(17);
    console.info(
      `auth throttle: 20 of 20 new tokens in beside 8 guessers (${JSON.stringify(guessCodes)})`,
    );
  });

  test('a client that is no trusted proxy cannot choose its address with X-Forwarded-For', async () => {
    // From 127.0.0.2 (not trusted), rotating X-Forwarded-For: every guess counts against 127.0.0.2.
    const { request } = await import('node:http');
    const fromUntrusted = (token: string, forwardedFor: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request(
          `${gateway.url}/graphql`,
          {
            method: 'POST',
            localAddress: '127.0.0.2',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              'x-forwarded-for': forwardedFor,
            },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () =>
              resolve(JSON.parse(text).errors?.[0]?.extensions?.code ?? 'OK'),
            );
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ query: ME }));
      });
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) codes.push(await fromUntrusted(garbage(i), `192.0.2.${i}`));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('UNAUTHENTICATED'));
    expect(codes[10]).toBe('RATE_LIMITED');
    // And the admin still gets in from there.
    expect(await fromUntrusted(gateway.adminToken, '192.0.2.99')).toBe('OK');
  });
});
