import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCodeOf } from '../../src/errors.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import type { EventLog } from '../../src/log/event-log.js';
import { createRegistry, type Registry } from '../../src/registry/registry.js';
import { createStream, registerEventType } from '../../src/registry/registry-commands.js';
import type { RegistryState } from '../../src/registry/registry-state.js';
import type { JsonSchema } from '../../src/registry/schema-validator.js';
import { waitFor } from '../support/wait-for.js';

const REGISTRY_TOPIC = '_streamgate.registry';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openLog(dataDir?: string): Promise<{ log: EventLog; dataDir: string }> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'streamgate-registry-')));
  if (!dataDir) cleanups.push(() => rm(dir, { recursive: true, force: true }));
  // fsync 'never': these tests restart the log cleanly, they do not test crash durability.
  const log = createEmbeddedLog({ dataDir: dir, fsync: 'never' });
  await log.connect();
  cleanups.push(() => log.close()); // closing twice is a no-op
  return { log, dataDir: dir };
}

async function startRegistry(log: EventLog): Promise<Registry> {
  const registry = createRegistry({ log, writeTimeoutMs: 10_000 });
  await registry.start();
  cleanups.push(() => registry.close());
  return registry;
}

const placedV1: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, total: { type: 'number' } },
  required: ['id'],
  additionalProperties: false,
};
const placedV2: JsonSchema = {
  ...placedV1,
  properties: { id: { type: 'string' }, total: { type: 'number' }, note: { type: 'string' } },
};

/** What a user can observe of a registry: streams, types with their versions, tokens. */
function snapshot(state: RegistryState) {
  return {
    streams: [...state.streams.values()].sort((a, b) => a.name.localeCompare(b.name)),
    eventTypes: [...state.eventTypes.values()]
      .map((t) => ({
        type: t.type,
        stream: t.stream,
        compatibility: t.compatibility,
        versions: t.versions.map((v) => [v.version, v.schema]),
      }))
      .sort((a, b) => a.type.localeCompare(b.type)),
    tokens: [...state.tokens.entries()].sort(([a], [b]) => a.localeCompare(b)),
  };
}

async function registryRecordCount(log: EventLog): Promise<number> {
  return (await log.offsets(REGISTRY_TOPIC))[0]?.high ?? 0;
}

describe('createRegistry on the embedded log', () => {
  it('starts on an empty log, loaded, with nothing in it', async () => {
    const { log } = await openLog();
    const registry = await startRegistry(log);
    expect(registry.loaded).toBe(true);
    expect(registry.state.streams.size).toBe(0);
  });

  it('returns from a write only once its own record was read back and applied', async () => {
    const { log } = await openLog();
    const registry = await startRegistry(log);
    await createStream(registry, log, { name: 'orders', partitions: 2 }, 'admin');
    // No waiting: the state holds the record the moment the command returns.
    expect(registry.state.streams.get('orders')).toMatchObject({ partitions: 2, owner: 'admin' });
    const eventType = await registerEventType(
      registry,
      { type: 'order.placed', stream: 'orders', schema: placedV1 },
      'admin',
    );
    expect(eventType.versions.map((v) => v.version)).toEqual([1]);
    expect(registry.state.eventTypes.get('order.placed')?.versions).toHaveLength(1);
    expect((await log.describeTopic('orders'))?.partitions).toBe(2);
  });

  it('answers an identical re-registration with the current version, and writes nothing', async () => {
    const { log } = await openLog();
    const registry = await startRegistry(log);
    await createStream(registry, log, { name: 'orders' }, 'admin');
    await registerEventType(
      registry,
      { type: 'order.placed', stream: 'orders', schema: placedV1 },
      'admin',
    );
    await registerEventType(
      registry,
      { type: 'order.placed', stream: 'orders', schema: placedV2 },
      'admin',
    );
    const before = await registryRecordCount(log);
    const again = await registerEventType(
      registry,
      { type: 'order.placed', stream: 'orders', schema: placedV2 },
      'admin',
    );
    expect(again.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(await registryRecordCount(log)).toBe(before);
  });

  it('refuses a GraphQL name clash with CONFLICT before writing it to the log', async () => {
    const { log } = await openLog();
    const registry = await startRegistry(log);
    await createStream(registry, log, { name: 'apps' }, 'admin');
    const withRegion = {
      type: 'object',
      properties: { region: { type: 'object', properties: { name: { type: 'string' } } } },
    };
    await registerEventType(
      registry,
      { type: 'app.created', stream: 'apps', schema: withRegion },
      'admin',
    );
    const before = await registryRecordCount(log);
    const error = await registerEventType(
      registry,
      { type: 'app.created_data.region', stream: 'apps', schema: placedV1 },
      'admin',
    ).catch((e: unknown) => e);
    expect(errorCodeOf(error)).toBe('CONFLICT');
    expect((error as Error).message).toContain('"AppCreatedDataRegion"');
    expect(await registryRecordCount(log)).toBe(before);
    expect(registry.state.eventTypes.has('app.created_data.region')).toBe(false);
  });

  it('lets a second registry on the same log see every write, and both settle a race the same way', async () => {
    const { log } = await openLog();
    const a = await startRegistry(log);
    const b = await startRegistry(log);
    await createStream(a, log, { name: 'orders' }, 'admin');
    await waitFor(() => b.state.streams.has('orders'), {
      what: 'the stream on the second registry',
    });

    // Same type, different schemas, at once: log order picks one, for both.
    const other: JsonSchema = {
      type: 'object',
      properties: { sku: { type: 'integer' } },
      required: ['sku'],
    };
    const results = await Promise.allSettled([
      registerEventType(a, { type: 'order.placed', stream: 'orders', schema: placedV1 }, 'a'),
      registerEventType(b, { type: 'order.placed', stream: 'orders', schema: other }, 'b'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    // CONFLICT when both records raced into the log; INCOMPATIBLE_SCHEMA when the loser came
    // second and its schema was checked as a version 2 of the winner's.
    expect(['CONFLICT', 'INCOMPATIBLE_SCHEMA']).toContain(errorCodeOf(lost[0]!.reason));
    await waitFor(() => a.state.schemaRevision === b.state.schemaRevision, {
      what: 'both registries to apply both records',
    });
    expect(snapshot(b.state)).toEqual(snapshot(a.state));
    expect(a.state.eventTypes.get('order.placed')?.versions).toHaveLength(1);
  });

  it('reloads streams, versions and tokens after a restart, and keeps refusing what it refused', async () => {
    const first = await openLog();
    const registry = await startRegistry(first.log);
    await createStream(
      registry,
      first.log,
      { name: 'orders', partitions: 4, retentionHours: null },
      'admin',
    );
    await registerEventType(
      registry,
      { type: 'order.placed', stream: 'orders', schema: placedV1 },
      'admin',
    );
    await registerEventType(
      registry,
      { type: 'order.placed', stream: 'orders', schema: placedV2, description: 'v2' },
      'admin',
    );
    await registry.write({ kind: 'token', id: 'tok-1', token: { name: 'ci' } });
    await registry.write({
      kind: 'revocation',
      id: 'tok-1',
      revokedBy: 'admin',
      revokedAt: '2026-01-02T00:00:00.000Z',
    });
    // A conflicting record in the log: refused now, and must stay refused after the reload.
    const refused = await registry.write({
      kind: 'stream',
      name: 'orders',
      partitions: 9,
      retentionHours: 1,
      description: null,
      owner: 'x',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(refused.accepted).toBe(false);
    const before = snapshot(registry.state);
    await registry.close();
    await first.log.close();

    const second = await openLog(first.dataDir);
    const reloaded = await startRegistry(second.log);
    expect(reloaded.loaded).toBe(true);
    expect(snapshot(reloaded.state)).toEqual(before);
    expect(reloaded.state.streams.get('orders')).toMatchObject({
      partitions: 4,
      retentionHours: null,
    });
    expect(reloaded.state.eventTypes.get('order.placed')).toMatchObject({ description: 'v2' });
    expect(reloaded.state.tokens.get('tok-1')?.revokedAt).toBe('2026-01-02T00:00:00.000Z');
    // And it follows the log live after loading.
    await registerEventType(
      reloaded,
      { type: 'order.shipped', stream: 'orders', schema: placedV1 },
      'admin',
    );
    expect(reloaded.state.eventTypes.has('order.shipped')).toBe(true);
  });

  it('skips records it cannot read instead of stopping', async () => {
    const { log } = await openLog();
    await log.createTopic({ name: REGISTRY_TOPIC, partitions: 1, compacted: true });
    await log.append(REGISTRY_TOPIC, [
      { key: 'junk:1', value: Buffer.from('not json') },
      {
        key: 'junk:2',
        value: Buffer.from(JSON.stringify({ writeId: 'w', record: { kind: 'from-the-future' } })),
      },
      { key: 'junk:3', value: null },
    ]);
    const registry = await startRegistry(log);
    await createStream(registry, log, { name: 'orders' }, 'admin');
    expect([...registry.state.streams.keys()]).toEqual(['orders']);
  });
});
