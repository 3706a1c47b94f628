/**
 * A damaged record in the embedded log's registry topic (issue 15, finding 7), as an operator
 * meets it. Any lost registry record may be a token revocation, and without it the revoked token
 * works again; so a gateway on a damaged registry topic refuses to start, at every restart, with
 * one line naming the damaged file and the two ways on: restore the segment from a backup, or
 * accept the loss with GATEWAY_ACCEPT_REGISTRY_DAMAGE=1 (then it starts, /ready answers 503).
 * Damage in an event stream's topic does not stop the gateway (test/fault/embedded-damage.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { graphqlOk } from '../support/clients.js';
import {
  GatewayExitedError,
  startGatewayProcess,
  type GatewayProcess,
  type GatewayProcessOptions,
} from '../support/gateway-process.js';
import { waitFor } from '../support/wait-for.js';

const ACCEPT = { GATEWAY_ACCEPT_REGISTRY_DAMAGE: '1' };

interface Issued {
  readonly id: string;
  readonly token: string;
}

/** A data directory whose registry segment had a gateway's records written to it; then stopped. */
async function registryWith(
  write: (gateway: GatewayProcess, issue: (name: string) => Promise<Issued>) => Promise<void>,
) {
  const dir = await mkdtemp(join(tmpdir(), 'streamgate-registry-damage-'));
  const adminToken = `admin-${randomUUID()}`;
  const gateway = await startGatewayProcess({ dataDir: dir, adminToken });
  const issue = async (name: string) =>
    (
      await graphqlOk<{ issueToken: Issued }>(
        gateway,
        `mutation { issueToken(input: { name: "${name}", grants: [{ stream: "ledger", operations: [SUBSCRIBE] }] }) { id token } }`,
      )
    ).issueToken;
  await graphqlOk(
    gateway,
    'mutation { createStream(input: { name: "ledger", partitions: 1 }) { name } }',
  );
  await write(gateway, issue);
  // Acknowledged means fsynced (FSYNC=always): a crash now loses none of it.
  expect(await gateway.stop('SIGKILL')).toBe(null);
  const partitionDir = join(dir, 'log', 'topics', '_streamgate.registry', '0');
  const [name] = (await readdir(partitionDir)).filter((file) => file.endsWith('.log'));
  return { dir, adminToken, segment: join(partitionDir, name!) };
}

/** Flips one bit at `at` of the file, as a bad sector would. */
async function flipBit(file: string, at: (bytes: Buffer) => number, mask: number): Promise<void> {
  const bytes = await readFile(file);
  const position = at(bytes);
  expect(position).toBeGreaterThan(0);
  bytes[position]! ^= mask;
  await writeFile(file, bytes);
}

const revoke = (gateway: GatewayProcess, id: string) =>
  graphqlOk(gateway, 'mutation($id: ID!) { revokeToken(id: $id) }', { id });

describe('embedded log: damage in the registry topic', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function start(options: GatewayProcessOptions): Promise<GatewayProcess> {
    const gateway = await startGatewayProcess(options);
    cleanups.push(() => gateway.stop('SIGKILL'));
    return gateway;
  }
  /** Starts a gateway expected to refuse: its exit code and the lines it wrote. */
  async function refusal(options: GatewayProcessOptions) {
    const error = await start(options).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(GatewayExitedError);
    const { code, output } = error as GatewayExitedError;
    return { code, lines: output.split('\n').filter((line) => /failed to start/.test(line)) };
  }
  const me = async (gateway: GatewayProcess, token: string) => {
    const answer = await gateway.graphql('{ me { name } }', undefined, token);
    return answer.errors?.[0]?.extensions?.code ?? answer.data?.me?.name;
  };

  test(
    'a flipped bit in a revocation: refused at every start until the segment is restored from a backup',
    { timeout: 180_000 },
    async () => {
      let victim!: Issued;
      const { dir, adminToken, segment } = await registryWith(async (gateway, issue) => {
        victim = await issue('victim');
        await revoke(gateway, victim.id);
        await issue('later'); // the revocation is not the last record: a torn tail is not damage
      });
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const backup = `${segment}.backup`;
      await copyFile(segment, backup);
      await flipBit(
        segment,
        (bytes) => bytes.indexOf(`"revocation","id":"${victim.id}"`) + 20,
        0x01,
      );

      for (let restart = 0; restart < 2; restart++) {
        const { code, lines } = await refusal({ dataDir: dir, adminToken });
        expect(code).toBe(1);
        expect(lines).toHaveLength(1);
        const [line] = lines;
        expect(line).toMatch(/the registry topic _streamgate\.registry is damaged/);
        expect(line).toContain(segment);
        expect(line).toContain(join(dir, 'log', 'quarantine', '_streamgate.registry', '0'));
        expect(line).toMatch(/token revocation/);
        expect(line).toMatch(/backup/);
        expect(line).toContain('GATEWAY_ACCEPT_REGISTRY_DAMAGE=1');
        if (restart === 0) console.info(`registry damage, start refused (exit ${code}): ${line}`);
      }

      // The operator restores the segment and moves the file as found away.
      const quarantine = join(dir, 'log', 'quarantine', '_streamgate.registry', '0');
      await copyFile(backup, segment);
      for (const file of await readdir(quarantine)) {
        await rename(join(quarantine, file), join(dir, file));
      }
      const gateway = await start({ dataDir: dir, adminToken });
      expect((await fetch(`${gateway.url}/ready`)).status).toBe(200);
      expect(await me(gateway, victim.token)).toBe('UNAUTHENTICATED');
    },
  );

  test(
    'with GATEWAY_ACCEPT_REGISTRY_DAMAGE=1 it starts without the lost record, and /ready says 503',
    { timeout: 180_000 },
    async () => {
      let victim!: Issued;
      let kept!: Issued;
      const { dir, adminToken, segment } = await registryWith(async (gateway, issue) => {
        victim = await issue('victim');
        kept = await issue('kept');
        await revoke(gateway, victim.id);
        await issue('later');
      });
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      await flipBit(
        segment,
        (bytes) => bytes.indexOf(`"revocation","id":"${victim.id}"`) + 20,
        0x01,
      );
      expect((await refusal({ dataDir: dir, adminToken })).code).toBe(1);

      const gateway = await start({ dataDir: dir, adminToken, env: ACCEPT, waitFor: 'health' });
      const ready = await fetch(`${gateway.url}/ready`);
      const report = (await ready.json()) as {
        damage?: { topic: string; quarantinedAs: string }[];
      };
      expect(ready.status).toBe(503);
      expect(report.damage?.map((d) => d.topic)).toEqual(['_streamgate.registry']);
      // What the operator accepted: the revocation is gone, on this instance the token works again.
      expect(await me(gateway, victim.token)).toBe('victim');
      expect(await me(gateway, kept.token)).toBe('kept');
      // Moving the file as found away ends the report.
      await rename(report.damage![0]!.quarantinedAs, join(dir, 'inspected'));
      await waitFor(async () => (await fetch(`${gateway.url}/ready`)).status === 200, {
        what: '/ready to answer 200',
      });
    },
  );

  test(
    'with GATEWAY_ACCEPT_REGISTRY_DAMAGE=1, damage among event types brings no revoked token back',
    { timeout: 180_000 },
    async () => {
      const revoked: Issued[] = [];
      let kept!: Issued;
      const { dir, adminToken, segment } = await registryWith(async (gateway, issue) => {
        // Registry records before the tokens: where the bit will flip.
        for (let i = 0; i < 20; i++) {
          await graphqlOk(
            gateway,
            'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type } }',
            {
              input: {
                type: `ledger.entry${i}`,
                stream: 'ledger',
                schema: { type: 'object', description: 'd'.repeat(400) },
              },
            },
          );
        }
        for (let i = 0; i < 3; i++) revoked.push(await issue('t'));
        kept = await issue('t');
        for (const { id } of revoked) await revoke(gateway, id);
      });
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      // A third of the way in: among the event types' records, well before the revocations.
      await flipBit(segment, (bytes) => Math.floor(bytes.length / 3), 0x10);

      const gateway = await start({ dataDir: dir, adminToken, env: ACCEPT, waitFor: 'health' });
      const ready = await fetch(`${gateway.url}/ready`);
      const report = (await ready.json()) as { damage?: { topic: string }[] };
      expect(ready.status).toBe(503);
      expect(report.damage?.map((d) => d.topic)).toEqual(['_streamgate.registry']);
      for (const { token } of revoked) expect(await me(gateway, token)).toBe('UNAUTHENTICATED');
      expect(await me(gateway, kept.token)).toBe('t');
    },
  );
});
