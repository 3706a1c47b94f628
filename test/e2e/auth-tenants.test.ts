/**
 * Tenant isolation on the real broker: several tenants publish many events with random data
 * (through every publish path), their tokens subscribe with random filters, including filters
 * that name other tenants' resource ids or select other tenants in the data, live and from the
 * earliest position, over WebSocket and SSE. No subscription may see a foreign event, and each
 * must see exactly its own events that its filter selects.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';
import {
  codesOf,
  publishUntilLive,
  setupStream,
  startTestGateway,
  type Caller,
  type TestGateway,
} from '../auth/auth-harness.js';
import { collect, type Probe } from '../auth/subscription-probe.js';

/** A small seeded PRNG (mulberry32), so a failing run can be replayed with its seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    subset: <T>(items: readonly T[], size: number): T[] =>
      [...items].sort(() => next() - 0.5).slice(0, size),
  };
}

const SEED = Number(process.env['AUTH_TENANTS_SEED'] ?? Date.now() % 2 ** 31);
const random = prng(SEED);
const run = randomBytes(3).toString('hex');
const TENANTS = ['acme', 'globex', 'initech', 'umbrella'].map((name) => `${name}-${run}`);
/** Resource ids every tenant uses (so ids collide across tenants), plus ids only one tenant uses. */
const SHARED_IDS = Array.from({ length: 8 }, (_, i) => `r-${i}`);
const privateIds = (tenant: string) => Array.from({ length: 4 }, (_, i) => `${tenant}-p${i}`);
const TYPES = ['invoice.issued', 'invoice.paid'];
const EVENTS_PER_TENANT = 48;
const ADMIN_EVENTS = 32;

const INVOICE_SCHEMA = {
  type: 'object',
  properties: {
    invoiceId: { type: 'string' },
    // Tenant-like data: names any tenant, often not the owner of the event.
    tenant: { type: 'string' },
    customer: {
      type: 'object',
      properties: { tenant: { type: 'string' }, id: { type: 'string' } },
    },
    amount: { type: 'number' },
  },
  required: ['invoiceId', 'tenant', 'amount'],
};

interface Published {
  readonly id: string;
  readonly type: string;
  readonly tenant: string | null;
  readonly resourceId: string;
  readonly data: {
    invoiceId: string;
    tenant: string;
    customer: { tenant: string; id: string };
    amount: number;
  };
}

type EventShape = Omit<Published, 'id' | 'tenant'>;

interface FilterCase {
  readonly label: string;
  readonly filter: Record<string, unknown> | null;
  readonly selects: (event: Published) => boolean;
  /** An event of the token's own tenant that the filter selects: proof the subscription is live. */
  readonly probe: () => EventShape;
}

/** A random filter for `tenant`'s token, with the same selection computed in plain code. */
function randomFilter(tenant: string): FilterCase {
  const others = TENANTS.filter((t) => t !== tenant);
  const other = random.pick(others);
  const probeId = `probe-${tenant}`;
  const probe =
    (change: (event: EventShape) => EventShape = (e) => e) =>
    () =>
      change({
        type: 'invoice.issued',
        resourceId: probeId,
        data: { invoiceId: randomUUID(), tenant, customer: { tenant, id: 'probe' }, amount: 1 },
      });
  switch (random.int(7)) {
    case 0:
      return { label: 'no filter', filter: null, selects: () => true, probe: probe() };
    case 1: {
      const ids = [...random.subset(SHARED_IDS, 3), ...privateIds(other)];
      return {
        label: `resourceIds ${ids}`,
        filter: { resourceIds: ids },
        selects: (e) => ids.includes(e.resourceId),
        probe: probe((e) => ({ ...e, resourceId: ids[0]! })),
      };
    }
    case 2: {
      // Only ids another tenant uses (and a probe id): none of the other tenant's events may come.
      const ids = [...privateIds(other), probeId];
      return {
        label: `resourceIds of ${other}`,
        filter: { resourceIds: ids },
        selects: (e) => ids.includes(e.resourceId),
        probe: probe(),
      };
    }
    case 3:
      return {
        label: `where data.tenant = ${other}`,
        filter: { where: [{ path: 'tenant', eq: other }] },
        selects: (e) => e.data.tenant === other,
        probe: probe((e) => ({ ...e, data: { ...e.data, tenant: other } })),
      };
    case 4: {
      const names = random.subset(others, 2);
      return {
        label: `where customer.tenant in ${names}`,
        filter: { where: [{ path: 'customer.tenant', in: names }] },
        selects: (e) => names.includes(e.data.customer.tenant),
        probe: probe((e) => ({
          ...e,
          data: { ...e.data, customer: { tenant: names[0]!, id: 'probe' } },
        })),
      };
    }
    case 5: {
      const type = random.pick(TYPES);
      return {
        label: `types ${type}, any of (tenant = ${other}) or (amount > 500)`,
        filter: {
          types: [type],
          any: [[{ path: 'tenant', eq: other }], [{ path: 'amount', gt: 500 }]],
        },
        selects: (e) => e.type === type && (e.data.tenant === other || e.data.amount > 500),
        probe: probe((e) => ({ ...e, type, data: { ...e.data, amount: 900 } })),
      };
    }
    default:
      return {
        label: `types invoice.*, where tenant prefix of ${other}`,
        filter: { types: ['invoice.*'], where: [{ path: 'tenant', prefix: other.slice(0, 3) }] },
        selects: (e) => e.data.tenant.startsWith(other.slice(0, 3)),
        probe: probe((e) => ({ ...e, data: { ...e.data, tenant: other } })),
      };
  }
}

function randomEvent(owner: string | null): EventShape {
  const resourceId =
    owner && random.int(3) === 0 ? random.pick(privateIds(owner)) : random.pick(SHARED_IDS);
  return {
    type: random.pick(TYPES),
    resourceId,
    data: {
      invoiceId: randomUUID(),
      tenant: random.pick(TENANTS),
      customer: { tenant: random.pick(TENANTS), id: `c-${random.int(100)}` },
      amount: random.int(1000),
    },
  };
}

const SUBSCRIPTION = `subscription ($filter: EventFilter, $from: StartPosition) {
  events(streams: ["invoices"], filter: $filter, from: $from) { id tenant type resourceId payload }
}`;

interface Watch {
  readonly tenant: string;
  readonly filterCase: FilterCase;
  readonly how: string;
  readonly probe: Probe;
}

describe('tenant isolation on Kafka', () => {
  let gw: TestGateway;
  const tokens = new Map<string, Caller>();
  const published: Published[] = [];
  const watches: Watch[] = [];

  function watch(tenant: string, transport: 'ws' | 'sse', from: 'live' | 'earliest'): void {
    const filterCase = randomFilter(tenant);
    const caller = tokens.get(tenant)!;
    const client = transport === 'ws' ? gw.wsClient(caller) : gw.sseClient(caller);
    const probe = collect(client, SUBSCRIPTION, {
      filter: filterCase.filter,
      from: from === 'earliest' ? { earliest: true } : { latest: true },
    });
    watches.push({ tenant, filterCase, how: `${transport} ${from}`, probe });
  }

  beforeAll(async () => {
    gw = await startTestGateway({ brokers: kafkaBrokers() });
    await setupStream(gw, 'invoices', TYPES, INVOICE_SCHEMA, 3);
    for (const tenant of TENANTS) {
      const { token } = await gw.issue({
        name: `svc-${tenant}`,
        tenant,
        grants: [{ stream: 'invoices', operations: ['PUBLISH', 'SUBSCRIBE'] }],
      });
      tokens.set(tenant, { token });
    }
  });
  afterAll(async () => {
    for (const { probe } of watches) probe.dispose();
    await gw?.close();
  });

  it('a tenant token cannot publish for another tenant: FORBIDDEN, and nothing is written', async () => {
    const [mine, theirs] = [TENANTS[0]!, TENANTS[1]!];
    const caller = tokens.get(mine)!;
    const event = {
      type: 'invoice.issued',
      resourceId: 'r-0',
      data: { invoiceId: 'x', tenant: mine, amount: 1 },
    };
    const json = await gw.graphql(
      `mutation ($e: PublishJsonInput!) { publishJson(event: $e) { id } }`,
      { e: { ...event, tenant: theirs } },
      caller,
    );
    expect(codesOf(json)).toEqual(['FORBIDDEN']);
    const batch = await gw.graphql(
      `mutation ($e: [PublishJsonInput!]!) { publishBatch(events: $e) { id } }`,
      { e: [event, { ...event, tenant: theirs }] },
      caller,
    );
    expect(codesOf(batch)).toEqual(['FORBIDDEN']);
    const ce = await gw.postEvents(
      {
        specversion: '1.0',
        id: randomUUID(),
        source: 'test',
        type: 'invoice.issued',
        subject: 'r-0',
        tenant: theirs,
        data: event.data,
      },
      caller,
    );
    expect([ce.status, ce.body.code]).toEqual([403, 'FORBIDDEN']);

    // Naming its own tenant is fine, and leaving it out publishes for its own tenant.
    const own = await gw.graphql(
      `mutation ($e: PublishJsonInput!) { publishJson(event: $e) { id } }`,
      { e: { ...event, tenant: mine } },
      caller,
    );
    expect(codesOf(own)).toEqual(['OK']);

    const probe = collect(
      gw.wsClient(gw.admin),
      `subscription { events(streams: ["invoices"], from: { earliest: true }) { id tenant } }`,
    );
    await waitFor(() => probe.events.some((e) => e.id === own.data.publishJson.id), {
      what: 'the own-tenant event',
    });
    probe.dispose();
    // The refused ones wrote nothing: the accepted event is the only one so far.
    expect(probe.events).toEqual([{ id: own.data.publishJson.id, tenant: mine }]);
    published.push({
      id: own.data.publishJson.id,
      tenant: mine,
      ...event,
      data: { ...event.data, customer: { tenant: '', id: '' } },
    });
  });

  it(
    `delivers no foreign event and every own one, whatever the filter (seed ${SEED})`,
    { timeout: 90_000 },
    async () => {
      // Live subscriptions first, and wait until the gateway holds them all.
      for (const tenant of TENANTS) {
        watch(tenant, 'ws', 'live');
        watch(tenant, 'ws', 'live');
        watch(tenant, 'ws', 'live');
        watch(tenant, 'sse', 'live');
      }
      // The same plain query from every tenant: a shared execution must still be per tenant.
      for (const tenant of TENANTS) {
        const probe = collect(gw.wsClient(tokens.get(tenant)!), SUBSCRIPTION, {
          filter: null,
          from: { latest: true },
        });
        const filterCase = {
          ...randomFilter(tenant),
          label: 'no filter (same query as the other tenants)',
          filter: null,
          selects: () => true,
        };
        watches.push({ tenant, filterCase, how: 'ws live', probe });
      }
      // Each tenant publishes, for each of its subscriptions, an event it selects until it arrives.
      const live = [...watches];
      const probeIds = new Set<string>();
      await publishUntilLive(
        live.map((w) => w.probe),
        async (waiting) => {
          for (const index of waiting) {
            const { tenant, filterCase } = live[index]!;
            const event = filterCase.probe();
            const result = await gw.graphql(
              `mutation ($e: PublishJsonInput!) { publishJson(event: $e) { id } }`,
              { e: event },
              tokens.get(tenant)!,
            );
            expect(codesOf(result)).toEqual(['OK']);
            published.push({ ...event, id: result.data.publishJson.id, tenant });
            probeIds.add(result.data.publishJson.id);
          }
        },
        'every live subscription to be live',
      );

      // Each tenant publishes through every path; the admin publishes for tenants and for none.
      const publishes: Promise<void>[] = TENANTS.map(async (tenant) => {
        const caller = tokens.get(tenant)!;
        const events = Array.from({ length: EVENTS_PER_TENANT }, () => randomEvent(tenant));
        for (let i = 0; i < events.length; i += 12) {
          const chunk = events.slice(i, i + 12);
          const path = (i / 12) % 4;
          let ids: string[];
          if (path === 0) {
            const result = await gw.graphql(
              `mutation ($e: [PublishJsonInput!]!) { publishBatch(events: $e) { id } }`,
              { e: chunk },
              caller,
            );
            expect(codesOf(result)).toEqual(['OK']);
            ids = result.data.publishBatch.map((r: { id: string }) => r.id);
          } else if (path === 1) {
            ids = [];
            for (const event of chunk) {
              const result = await gw.graphql(
                `mutation ($e: PublishJsonInput!) { publishJson(event: $e) { id } }`,
                { e: event },
                caller,
              );
              expect(codesOf(result)).toEqual(['OK']);
              ids.push(result.data.publishJson.id);
            }
          } else if (path === 2) {
            ids = [];
            for (const event of chunk) {
              const field = event.type === 'invoice.issued' ? 'invoiceIssued' : 'invoicePaid';
              const result = await gw.graphql(
                `mutation ($e: PublishInput!) { publish(event: $e) { id } }`,
                { e: { [field]: { resourceId: event.resourceId, data: event.data } } },
                caller,
              );
              expect(codesOf(result)).toEqual(['OK']);
              ids.push(result.data.publish.id);
            }
          } else {
            const ces = chunk.map((e) => ({
              specversion: '1.0',
              id: randomUUID(),
              source: 'svc',
              type: e.type,
              subject: e.resourceId,
              data: e.data,
            }));
            const response = await gw.postEvents(ces, caller, 'application/cloudevents-batch+json');
            expect(response.status).toBe(200);
            ids = response.body.map((r: { id: string }) => r.id);
          }
          chunk.forEach((event, k) => published.push({ ...event, id: ids[k]!, tenant }));
        }
      });
      publishes.push(
        (async () => {
          const events = Array.from({ length: ADMIN_EVENTS }, () => {
            const tenant = random.int(4) === 0 ? null : random.pick(TENANTS);
            return { ...randomEvent(tenant), tenant };
          });
          const result = await gw.graphql(
            `mutation ($e: [PublishJsonInput!]!) { publishBatch(events: $e) { id } }`,
            { e: events },
          );
          expect(codesOf(result)).toEqual(['OK']);
          events.forEach((event, k) =>
            published.push({ ...event, id: result.data.publishBatch[k].id }),
          );
        })(),
      );
      await Promise.all(publishes);

      // Subscriptions from the earliest position, after the fact: the catch-up path.
      for (const tenant of TENANTS) {
        watch(tenant, 'ws', 'earliest');
        watch(tenant, 'sse', 'earliest');
      }

      const byId = new Map(published.map((event) => [event.id, event]));
      // Live subscriptions count from the main publishing on (they opened after the first test's
      // event, and may have missed probes published before they were live); those from the
      // earliest position see everything.
      const before = new Set([published[0]!.id, ...probeIds]);
      const counted = (w: Watch, id: string) => w.how.endsWith('earliest') || !before.has(id);
      const expected = new Map(
        watches.map((w) => [
          w,
          published
            .filter((e) => e.tenant === w.tenant && w.filterCase.selects(e) && counted(w, e.id))
            .map((e) => e.id)
            .sort(),
        ]),
      );

      await waitFor(
        () =>
          watches.every(
            (w) =>
              w.probe.ended ||
              w.probe.errorCodes.length > 0 ||
              w.probe.events.filter((e) => counted(w, e.id)).length >= expected.get(w)!.length,
          ),
        { timeoutMs: 30_000, what: 'every subscription to receive its events' },
      ).catch(() => undefined); // the report below says which subscription fell short

      const report = watches.map((w) => {
        const seen = w.probe.events;
        const foreign = seen.filter((e) => {
          const original = byId.get(e.id);
          return (
            e.tenant !== w.tenant ||
            original?.tenant !== w.tenant ||
            e.payload?.invoiceId !== original?.data.invoiceId
          );
        });
        const seenIds = seen
          .map((e) => e.id as string)
          .filter((id) => counted(w, id))
          .sort();
        const want = expected.get(w)!;
        return {
          who: `${w.tenant} ${w.how} [${w.filterCase.label}]`,
          foreign: foreign.length,
          errors: w.probe.errorCodes,
          ended: w.probe.ended,
          exact:
            seenIds.join() === want.join()
              ? 'yes'
              : `${seenIds.length} seen, ${want.length} expected`,
        };
      });
      expect(report).toEqual(
        report.map((r) => ({ ...r, foreign: 0, errors: [], ended: false, exact: 'yes' })),
      );
      // The run exercised what it claims: many events, and filters that select something.
      expect(published.length).toBe(
        1 + probeIds.size + TENANTS.length * EVENTS_PER_TENANT + ADMIN_EVENTS,
      );
      expect(watches.filter((w) => expected.get(w)!.length > 0).length).toBeGreaterThan(
        watches.length / 2,
      );
    },
  );
});
