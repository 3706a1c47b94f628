/**
 * Lifecycle of event types and streams through the registry log, on both logs: what one
 * instance does (deprecate, change the mode, delete a type, delete a stream), another instance
 * on the same log sees, in its registry and in the GraphQL schema it assembles; and an instance
 * started afterwards replays the same state from the log. Size limits refuse at registration.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphQLInputObjectType, GraphQLObjectType } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorCodeOf } from '../../src/errors.js';
import { createSchemaAssembler } from '../../src/graphql/schema-assembler.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import type { EventLog } from '../../src/log/event-log.js';
import { createKafkaLog } from '../../src/log/kafka/index.js';
import { createRegistry, type Registry } from '../../src/registry/registry.js';
import {
  createStream,
  deleteEventType,
  deleteStream,
  deprecateEventType,
  registerEventType,
  setCompatibility,
} from '../../src/registry/registry-commands.js';
import type { RegistryLimits } from '../../src/registry/registry-limits.js';
import type { RegistryState } from '../../src/registry/registry-state.js';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';

// graphql 16 has no "exports" map: Vite resolves `graphql` to its ESM build, Node (and so
// Pothos, loaded natively) to the CommonJS one. Point this file at the CommonJS build too.
vi.mock('graphql', () => import('graphql/index.js'));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface LogKind {
  readonly name: string;
  /** A factory of logs that share one registry topic: one log per simulated instance. */
  shared(): Promise<() => Promise<EventLog>>;
}

const LOGS: readonly LogKind[] = [
  {
    name: 'embedded log',
    async shared() {
      const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-lifecycle-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      // One embedded log is one node: instances of it share the log object itself.
      const log = createEmbeddedLog({ dataDir, fsync: 'never' });
      await log.connect();
      cleanups.push(() => log.close());
      return async () => log;
    },
  },
  {
    name: 'Kafka',
    async shared() {
      const topicPrefix = `lifecycle-${randomBytes(4).toString('hex')}.`;
      return async () => {
        const log = createKafkaLog({ brokers: kafkaBrokers(), topicPrefix });
        await log.connect();
        cleanups.push(() => log.close());
        return log;
      };
    },
  },
];

async function startRegistry(log: EventLog, limits?: Partial<RegistryLimits>): Promise<Registry> {
  const registry = createRegistry({ log, writeTimeoutMs: 20_000, limits });
  await registry.start();
  cleanups.push(() => registry.close());
  return registry;
}

const orderV1 = {
  type: 'object',
  properties: { id: { type: 'string' }, total: { type: 'number' } },
  required: ['id'],
};

function codeOf(error: unknown): string | undefined {
  return errorCodeOf(error);
}

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return codeOf(error);
  }
  return undefined;
}

/** What a user sees of one event type in a registry. */
function seen(state: RegistryState, type: string) {
  const t = state.eventTypes.get(type);
  return (
    t && {
      versions: t.versions.length,
      compatibility: t.compatibility,
      deprecationReason: t.deprecationReason,
    }
  );
}

describe.each(LOGS)('lifecycle on the $name', (kind) => {
  it('deprecation, a mode change and deletions on one instance reach another, and a restart', async () => {
    const openLog = await kind.shared();
    const logA = await openLog();
    const a = await startRegistry(logA);
    const b = await startRegistry(await openLog());
    const schemasB = createSchemaAssembler({ registry: b });
    cleanups.push(async () => schemasB.close());
    await schemasB.start();

    await createStream(a, logA, { name: 'orders', partitions: 1 }, 'admin');
    await createStream(a, logA, { name: 'audit', partitions: 1 }, 'admin');
    await registerEventType(
      a,
      { type: 'order.placed', stream: 'orders', schema: orderV1 },
      'admin',
    );
    await registerEventType(
      a,
      { type: 'order.voided', stream: 'orders', schema: orderV1 },
      'admin',
    );
    await registerEventType(
      a,
      { type: 'audit.entry.logged', stream: 'audit', schema: orderV1 },
      'admin',
    );

    // Deprecation: seen by B's registry and in the schema B serves.
    await deprecateEventType(a, 'order.placed', 'use order.submitted', 'admin');
    await waitFor(() => b.state.eventTypes.get('order.placed')?.deprecationReason !== null, {
      what: 'the deprecation on the other instance',
    });
    await schemasB.settled();
    const publishInput = schemasB.schema.getType('PublishInput') as GraphQLInputObjectType;
    expect(publishInput.getFields()['orderPlaced']?.deprecationReason).toBe('use order.submitted');
    expect(publishInput.getFields()['orderVoided']?.deprecationReason).toBeUndefined();

    // The mode changes without a version; the next version is judged by the new mode.
    const removesTotal = {
      ...orderV1,
      properties: { id: { type: 'string' } },
      additionalProperties: false,
    };
    expect(
      await refusal(
        registerEventType(
          a,
          { type: 'order.voided', stream: 'orders', schema: removesTotal },
          'admin',
        ),
      ),
    ).toBe('INCOMPATIBLE_SCHEMA');
    await setCompatibility(a, 'order.voided', 'NONE', 'admin');
    await waitFor(() => b.state.eventTypes.get('order.voided')?.compatibility === 'NONE', {
      what: 'the mode change on the other instance',
    });
    expect(seen(b.state, 'order.voided')).toEqual({
      versions: 1,
      compatibility: 'NONE',
      deprecationReason: null,
    });
    await registerEventType(
      a,
      { type: 'order.voided', stream: 'orders', schema: removesTotal },
      'admin',
    );

    // Deleting a type: gone on B, and from B's schema; registering it again starts at 1.
    await deleteEventType(a, 'order.voided', 'admin');
    await waitFor(() => !b.state.eventTypes.has('order.voided'), {
      what: 'the type deletion on B',
    });
    await schemasB.settled();
    expect(schemasB.schema.getType('OrderVoided')).toBeUndefined();
    expect(await refusal(deleteEventType(a, 'order.voided', 'admin'))).toBe('NOT_FOUND');
    const again = await registerEventType(
      a,
      { type: 'order.voided', stream: 'orders', schema: orderV1 },
      'admin',
    );
    expect(again.versions.length).toBe(1);

    // Deleting a stream takes its types along; the other stream stays.
    await deleteStream(a, 'audit', 'admin');
    await waitFor(() => !b.state.streams.has('audit'), { what: 'the stream deletion on B' });
    expect(b.state.eventTypes.has('audit.entry.logged')).toBe(false);
    await schemasB.settled();
    expect(schemasB.schema.getType('AuditEntryLogged')).toBeUndefined();
    expect(
      (schemasB.schema.getType('OrderPlaced') as GraphQLObjectType).getFields()['data'],
    ).toBeDefined();
    expect(
      await refusal(
        registerEventType(
          a,
          { type: 'audit.entry.logged', stream: 'audit', schema: orderV1 },
          'admin',
        ),
      ),
    ).toBe('NOT_FOUND');

    // An instance started now replays the same registry from the log.
    const c = await startRegistry(await openLog());
    for (const type of ['order.placed', 'order.voided', 'audit.entry.logged']) {
      expect(seen(c.state, type)).toEqual(seen(a.state, type));
    }
    expect([...c.state.streams.keys()].sort()).toEqual(['orders']);
    expect(seen(c.state, 'order.placed')).toEqual({
      versions: 1,
      compatibility: 'BACKWARD',
      deprecationReason: 'use order.submitted',
    });
  });

  it('refuses schemas and registrations over the limits with BAD_USER_INPUT, writing nothing', async () => {
    const openLog = await kind.shared();
    const log = await openLog();
    const registry = await startRegistry(log, {
      maxSchemaBytes: 4096,
      maxSchemaProperties: 20,
      maxSchemaDepth: 12,
      maxEventTypesPerStream: 2,
      maxEventTypes: 3,
    });
    await createStream(registry, log, { name: 'one', partitions: 1 }, 'admin');
    await createStream(registry, log, { name: 'two', partitions: 1 }, 'admin');
    const register = (type: string, stream: string, schema: unknown) =>
      refusal(registerEventType(registry, { type, stream, schema }, 'admin'));

    const wide = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: 21 }, (_, i) => [`p${i}`, { type: 'string' }]),
      ),
    };
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 8; i++) deep = { type: 'object', properties: { x: deep } };
    const big = { type: 'object', description: 'x'.repeat(5000) };
    expect(await register('a.wide', 'one', wide)).toBe('BAD_USER_INPUT');
    expect(await register('a.deep', 'one', deep)).toBe('BAD_USER_INPUT');
    expect(await register('a.big', 'one', big)).toBe('BAD_USER_INPUT');
    expect(registry.state.eventTypes.size).toBe(0);

    expect(await register('a.first', 'one', orderV1)).toBeUndefined();
    expect(await register('a.second', 'one', orderV1)).toBeUndefined();
    expect(await register('a.third', 'one', orderV1)).toBe('BAD_USER_INPUT');
    expect(await register('b.first', 'two', orderV1)).toBeUndefined();
    expect(await register('b.second', 'two', orderV1)).toBe('BAD_USER_INPUT');
    // A new version of a type already there is no new type.
    expect(await register('a.first', 'one', { ...orderV1, description: 'v2' })).toBeUndefined();
    expect(registry.state.eventTypes.get('a.first')?.versions.length).toBe(2);
  });
});
