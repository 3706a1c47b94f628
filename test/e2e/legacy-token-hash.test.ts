/**
 * Tokens issued before secrets were stored as SHA-256 digests hold a scrypt hash in the registry.
 * An upgrade must not break them: a gateway started on such a registry accepts them, refuses a
 * wrong secret, revokes them; and guessers hammering random tokens from the same client address
 * do not keep them out (the one-scrypt-at-a-time lane of a blocked address is theirs alone).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashScrypt } from '../../src/auth/scrypt-hash.js';
import { generateToken } from '../../src/auth/token-secret.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import { createRegistry } from '../../src/registry/registry.js';
import { meFrom } from '../support/forwarded-client.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

/** Writes a token record as older versions did (scrypt at the cost they used) into `dataDir`. */
async function writeLegacyToken(dataDir: string, name: string): Promise<string> {
  // Where the gateway keeps its embedded log (src/log/create-event-log.ts).
  const log = createEmbeddedLog({ dataDir: join(dataDir, 'log') });
  await log.connect();
  const registry = createRegistry({ log, writeTimeoutMs: 10_000 });
  try {
    await registry.start();
    const { id, secret, token } = generateToken();
    const outcome = await registry.write({
      kind: 'token',
      id,
      token: {
        id,
        name,
        tenant: null,
        grants: [{ stream: 'platform', operations: ['SUBSCRIBE'] }],
        secretHash: await hashScrypt(secret),
        expiresAt: null,
        createdAt: new Date().toISOString(),
        createdBy: 'admin',
        limits: { publishPerSecond: 100, maxSubscriptions: 100 },
      },
    });
    expect(outcome.accepted).toBe(true);
    return token;
  } finally {
    await registry.close();
    await log.close();
  }
}

describe('a registry written with scrypt-hashed tokens', () => {
  let dataDir: string;
  let gateway: GatewayProcess;
  const legacy: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'streamgate-legacy-'));
    legacy.push(await writeLegacyToken(dataDir, 'old-a'), await writeLegacyToken(dataDir, 'old-b'));
    gateway = await startGatewayProcess({
      dataDir,
      env: { GATEWAY_TRUSTED_PROXIES: '127.0.0.1' },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The name of the token's principal, or the error code. */
  async function me(token: string, client: string) {
    const answer = await meFrom(gateway, token, client);
    return answer.code === 'OK' ? answer.body.data.me.name : answer.code;
  }

  test('its tokens keep working after the upgrade; a wrong secret does not', async () => {
    expect(await me(legacy[0]!, '203.0.113.1')).toBe('old-a');
    const id = legacy[0]!.slice(3, 19);
    expect(await me(`sg_${id}_${generateToken().secret}`, '203.0.113.2')).toBe('UNAUTHENTICATED');
  });

  test('one never presented gets in from the address of 8 guessers of random tokens', async () => {
    const attacker = '198.51.100.88';
    let guessing = true;
    let refused = 0;
    const guessers = Array.from({ length: 8 }, async () => {
      while (guessing)
        if ((await me(generateToken().token, attacker)) === 'RATE_LIMITED') refused++;
    });
    try {
      while (refused < 50) await new Promise((r) => setTimeout(r, 20));
      expect(await me(legacy[1]!, attacker)).toBe('old-b');
    } finally {
      guessing = false;
      await Promise.all(guessers);
    }
  });

  test('it can be revoked, and is refused from then on', async () => {
    const id = legacy[0]!.slice(3, 19);
    const revoked = await gateway.graphql('mutation($id: ID!) { revokeToken(id: $id) }', { id });
    expect(revoked.data).toEqual({ revokeToken: true });
    expect(await me(legacy[0]!, '203.0.113.3')).toBe('UNAUTHENTICATED');
  });
});
