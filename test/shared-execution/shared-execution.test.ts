/**
 * Execute once per group, end to end: many subscribers of one operation share one execution per
 * event and receive exactly what executing each alone gives (over graphql-ws and SSE), and
 * subscribers of different tenants or grants never share.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  graphqlOk,
  platformExample,
  platformSchema,
  publishJson,
  subscribeEvents,
  type EventSubscription,
  type SubscribeOptions,
  type Transport,
} from '../support/clients.js';
import { graphqlTypeName } from '../../src/registry/event-type-name.js';
import { waitFor } from '../support/wait-for.js';
import { startTwinGateways, type TwinGateways } from './twin-gateways.js';

/**
 * Typed data of the test's own types (named after its stream). A token sees only the types it
 * holds a grant on (introspection and validation are scoped), so a type-restricted token's
 * operation names only those.
 */
const typedSelection = (stream: string, only?: 'created') =>
  `... on ${graphqlTypeName(`${stream}.app.created`)} { data { name region { name } } }` +
  (only ? '' : ` ... on ${graphqlTypeName(`${stream}.app.destroyed`)} { data { name } }`);

interface Watcher {
  readonly name: string;
  readonly token: string;
  readonly fence: () => Record<string, unknown>;
  readonly only?: 'created';
}

describe('execute once per group', () => {
  let twins: TwinGateways;
  let stream: string;

  beforeAll(async () => {
    twins = await startTwinGateways();
    stream = `shared${randomUUID().slice(0, 8)}`;
    const admin = twins.shared;
    await graphqlOk(
      admin,
      'mutation($input: CreateStreamInput!) { createStream(input: $input) { name } }',
      {
        input: { name: stream, partitions: 1 },
      },
    );
    for (const type of ['app.created', 'app.destroyed']) {
      await graphqlOk(
        admin,
        'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { version } }',
        { input: { type: `${stream}.${type}`, stream, schema: platformSchema(type) } },
      );
    }
    // The other gateway follows the same registry: wait until it serves the stream's types.
    await waitFor(async () => {
      const body = await twins.alone.graphql(
        `{ eventType(type: "${stream}.app.created") { version } }`,
      );
      return body.data?.eventType?.version === 1;
    });
  });
  afterAll(async () => {
    await twins?.close();
  });

  const created = (tenant?: string) => ({
    type: `${stream}.app.created`,
    data: platformExample('app.created', { name: `app-${randomUUID().slice(0, 8)}` }),
    resourceId: randomUUID(),
    ...(tenant ? { tenant } : {}),
  });
  const destroyed = (tenant?: string) => ({
    type: `${stream}.app.destroyed`,
    data: platformExample('app.destroyed'),
    resourceId: randomUUID(),
    ...(tenant ? { tenant } : {}),
  });

  /** Subscribes on a gateway; the fence ids let every subscriber be shown live first. */
  function subscribe(
    on: 'shared' | 'alone',
    transport: Transport,
    options: Partial<SubscribeOptions> = {},
  ) {
    return subscribeEvents(twins[on], transport, {
      streams: [stream],
      selection: typedSelection(stream),
      ...options,
    });
  }

  /**
   * Publishes fences (made by `fence`, each visible to every one of `subscriptions`) until each
   * received one: from then on they are live. Adds the fence ids to `fences`.
   */
  async function untilLive(
    subscriptions: readonly EventSubscription[],
    fences: Set<string>,
    fence: () => Record<string, unknown> = () => destroyed(),
  ): Promise<void> {
    const own = new Set<string>();
    await waitFor(
      async () => {
        if (subscriptions.every((s) => s.events.some((e) => own.has(e.id)))) return true;
        const { id } = await publishJson(twins.shared, fence() as never);
        own.add(id);
        fences.add(id);
        return false;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the subscriptions to be live' },
    );
  }

  /** Publishes one more fence and waits until every subscription has it: all before it arrived. */
  async function settle(
    subscriptions: readonly EventSubscription[],
    fences: Set<string>,
    fence: () => Record<string, unknown> = () => destroyed(),
  ): Promise<void> {
    const { id } = await publishJson(twins.shared, fence() as never);
    fences.add(id);
    for (const s of subscriptions) await s.waitForEvent((e) => e.id === id, 'the last fence');
  }

  const withoutFences = (s: EventSubscription, fences: Set<string>) =>
    s.events.filter((e) => !fences.has(e.id));

  test('many subscribers share one execution and receive what executing alone gives', async () => {
    const grouped = [
      ...Array.from({ length: 12 }, () => subscribe('shared', 'graphql-ws')),
      ...Array.from({ length: 3 }, () => subscribe('shared', 'graphql-sse')),
      // `from: { latest: true }` is the same start as none, but other variables: its own group.
      subscribe('shared', 'graphql-ws', { from: { latest: true } }),
    ];
    const reference = [subscribe('alone', 'graphql-ws'), subscribe('alone', 'graphql-sse')];
    const everyone = [...grouped, ...reference];
    const fences = new Set<string>();
    await untilLive(everyone, fences);
    await settle(everyone, fences);
    const stats = await twins.stats();
    expect(stats).toMatchObject({ groups: 2, members: 16 });

    const published = [];
    for (let i = 0; i < 10; i++) {
      published.push(await publishJson(twins.shared, i % 3 === 2 ? destroyed() : created()));
    }
    await settle(everyone, fences);

    const expected = withoutFences(reference[0]!, fences);
    expect(expected.map((e) => e.id)).toEqual(published.map((p) => p.id));
    expect(
      expected.filter(
        (e) =>
          e.__typename === graphqlTypeName(`${stream}.app.created`) && e.data?.name && e.cursor,
      ),
    ).toHaveLength(7);
    for (const s of everyone) expect(withoutFences(s, fences)).toEqual(expected);
    // One execution per event per group (11: the events and the last fence), not per subscriber.
    expect((await twins.stats()).executions - stats.executions).toBe(2 * 11);
  });

  test('subscribers resuming together from one cursor share one execution per event and get what a lone resume gets', async () => {
    const watcher = subscribe('alone', 'graphql-ws');
    const fences = new Set<string>();
    await untilLive([watcher], fences);
    const published = [];
    for (let i = 0; i < 10; i++) {
      published.push(await publishJson(twins.shared, i % 3 === 2 ? destroyed() : created()));
    }
    await settle([watcher], fences);
    const seen = withoutFences(watcher, fences);
    expect(seen.map((e) => e.id)).toEqual(published.map((p) => p.id));
    watcher.close();
    // Every resume from the third event's cursor: served from the hot window on both gateways.
    const from = { after: seen[2]!.cursor };
    const before = await twins.stats();
    const resumed = [
      ...Array.from({ length: 12 }, () => subscribe('shared', 'graphql-ws', { from })),
      ...Array.from({ length: 3 }, () => subscribe('shared', 'graphql-sse', { from })),
    ];
    const reference = subscribe('alone', 'graphql-ws', { from });
    const expected = await reference.collect(7);
    expect(expected.map((e) => e.id)).toEqual(published.slice(3).map((p) => p.id));
    for (const s of resumed) expect(await s.collect(7)).toEqual(expected);
    const executions = (await twins.stats()).executions - before.executions;
    // Alone, each of the 15 would execute the 7 events itself: 105. Together, once per event;
    // a member that came more than two seconds after the last (a very busy machine) makes the
    // run again: allowed once.
    expect(executions).toBeGreaterThanOrEqual(7);
    expect(executions).toBeLessThanOrEqual(2 * 7);
    for (const s of [...resumed, reference]) s.close();
  });

  test('tenants and grants never share a group, and each sees only its own', async () => {
    // The previous test's subscribers are gone once the server has seen their sockets close.
    await waitFor(async () => (await twins.stats()).groups === 0, { what: 'no groups left' });
    const admin = twins.shared;
    const issue = async (input: Record<string, unknown>) =>
      (
        await graphqlOk<{ issueToken: { token: string } }>(
          admin,
          'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
          { input: { name: `t-${randomUUID().slice(0, 8)}`, ...input } },
        )
      ).issueToken.token;
    const full = [{ stream, operations: ['SUBSCRIBE'] }];
    const createdOnly = [{ stream, operations: ['SUBSCRIBE'], types: [`${stream}.app.created`] }];
    const watchers = [
      {
        name: 'acme',
        token: await issue({ tenant: 'acme', grants: full }),
        fence: () => created('acme'),
      },
      {
        name: 'globex',
        token: await issue({ tenant: 'globex', grants: full }),
        fence: () => created('globex'),
      },
      {
        name: 'createdOnly',
        token: await issue({ grants: createdOnly }),
        fence: () => created(),
        only: 'created' as const,
      },
      { name: 'everything', token: await issue({ grants: full }), fence: () => created() },
      // Another token with the very same scope as `everything`: it may share with it.
      { name: 'everythingToo', token: await issue({ grants: full }), fence: () => created() },
    ].map((w: Watcher) => {
      const selection = typedSelection(stream, w.only);
      return {
        ...w,
        shared: subscribe('shared', 'graphql-ws', { token: w.token, selection }),
        alone: subscribe('alone', 'graphql-ws', { token: w.token, selection }),
      };
    });
    const fences = new Set<string>();
    for (const w of watchers) await untilLive([w.shared, w.alone], fences, w.fence);
    expect(await twins.stats()).toMatchObject({ groups: 4, members: 5 });

    const published = [
      await publishJson(admin, created('acme')),
      await publishJson(admin, created('globex')),
      await publishJson(admin, destroyed('acme')),
      await publishJson(admin, created()),
      await publishJson(admin, destroyed('globex')),
    ];
    for (const w of watchers) await settle([w.shared, w.alone], fences, w.fence);

    const ids = published.map((p) => p.id);
    const seen = Object.fromEntries(
      watchers.map((w) => [w.name, withoutFences(w.shared, fences).map((e) => e.id)]),
    );
    expect(seen).toEqual({
      acme: [ids[0], ids[2]],
      globex: [ids[1], ids[4]],
      createdOnly: [ids[0], ids[1], ids[3]],
      everything: ids,
      everythingToo: ids,
    });
    for (const w of watchers)
      expect(withoutFences(w.shared, fences)).toEqual(withoutFences(w.alone, fences));
  });

  test('revoking a token ends its members of a group, and only them', async () => {
    await waitFor(async () => (await twins.stats()).groups === 0, { what: 'no groups left' });
    const issue = async () =>
      (
        await graphqlOk<{ issueToken: { id: string; token: string } }>(
          twins.shared,
          'mutation($input: IssueTokenInput!) { issueToken(input: $input) { id token } }',
          {
            input: {
              name: `t-${randomUUID().slice(0, 8)}`,
              grants: [{ stream, operations: ['SUBSCRIBE'] }],
            },
          },
        )
      ).issueToken;
    const [revoked, kept] = [await issue(), await issue()];
    const doomed = [
      subscribe('shared', 'graphql-ws', { token: revoked.token }),
      subscribe('shared', 'graphql-sse', { token: revoked.token }),
    ];
    const survivor = subscribe('shared', 'graphql-ws', { token: kept.token });
    const fences = new Set<string>();
    await untilLive([...doomed, survivor], fences);
    expect(await twins.stats()).toMatchObject({ groups: 1, members: 3 });

    await graphqlOk(twins.shared, 'mutation($id: ID!) { revokeToken(id: $id) }', {
      id: revoked.id,
    });
    for (const s of doomed) {
      await waitFor(() => s.errors.length > 0, { what: `UNAUTHENTICATED over ${s.transport}` });
      expect(s.errors[0]!.extensions?.['code']).toBe('UNAUTHENTICATED');
    }
    await waitFor(async () => (await twins.stats()).members === 1, { what: 'one member left' });
    const after = await publishJson(twins.shared, created());
    await survivor.waitForEvent((e) => e.id === after.id, 'an event after the revocation');
    expect(withoutFences(survivor, fences).map((e) => e.id)).toEqual([after.id]);
  });
});
