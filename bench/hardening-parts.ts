/**
 * One measurement per finding of the hardening review (issue 15); see hardening-figures.ts.
 * Each part starts its own gateway process(es) and returns plain figures.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getIntrospectionQuery } from 'graphql';
import { generateToken } from '../src/auth/token-secret.js';
import { eventsSubscription, graphqlOk, postEvents } from '../test/support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../test/support/gateway-process.js';
import { raceForLock } from '../test/support/lock-race.js';
import { waitFor } from '../test/support/wait-for.js';
import {
  issue,
  median,
  metric,
  MIB,
  rawSocket,
  rssMiB,
  sleep,
  sseRefusal,
  stallDuring,
  type RawSocket,
} from './hardening-clients.js';
import { startHistory } from './hardening-history.js';
import { watchPeakRss } from './proc-stats.js';

type Part = () => Promise<Record<string, unknown>>;

async function withGateway<T>(
  env: Record<string, string>,
  run: (gateway: GatewayProcess) => Promise<T>,
): Promise<T> {
  const gateway = await startGatewayProcess({ env });
  try {
    return await run(gateway);
  } finally {
    await gateway.stop();
  }
}

const REGISTER =
  'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { version } }';
const PUBLISH = 'mutation($event: PublishJsonInput!) { publishJson(event: $event) { id } }';
const codeOf = (answer: { errors?: any[] }) => answer.errors?.[0]?.extensions?.code ?? 'OK';
const timed = async <T>(work: () => Promise<T>) => {
  const start = performance.now();
  const result = await work();
  return { result, ms: Math.round(performance.now() - start) };
};

/** Finding 1: `^(a+)+$` against 28 × "a" + "!" (and 64 × "a"), single and in a batch of 8. */
const redos: Part = () =>
  withGateway({}, async (gateway) => {
    await graphqlOk(gateway, 'mutation { createStream(input: { name: "people" }) { name } }');
    const pattern = '^(a+)+$';
    await graphqlOk(gateway, REGISTER, {
      input: {
        type: 'person.created',
        stream: 'people',
        schema: { type: 'object', properties: { name: { type: 'string', pattern } } },
      },
    });
    const { token } = await issue(gateway, {
      tenant: 'mallory',
      grants: [{ stream: 'people', operations: ['PUBLISH'] }],
    });
    const publish = (name: string) =>
      stallDuring(gateway, () =>
        timed(() =>
          gateway.graphql(PUBLISH, { event: { type: 'person.created', data: { name } } }, token),
        ),
      );
    // Publishing compiles a type's validator on first use: not part of the pattern's cost.
    const warmUp = await publish('aaa');
    const figures: Record<string, unknown> = { warmUpStallMs: warmUp.stallMs };
    for (const [label, name] of [
      ['28a', `${'a'.repeat(28)}!`],
      ['64a', `${'a'.repeat(64)}!`],
    ] as const) {
      const { result, stallMs } = await publish(name);
      figures[label] = { code: codeOf(result.result), answerMs: result.ms, stallMs };
    }
    const batch = await stallDuring(gateway, () =>
      timed(() =>
        postEvents(
          gateway,
          Array.from({ length: 8 }, () => ({
            specversion: '1.0',
            type: 'person.created',
            source: 'mallory',
            data: { name: `${'a'.repeat(28)}!` },
          })),
          { 'content-type': 'application/cloudevents-batch+json' },
          token,
        ),
      ),
    );
    figures['batchOf8'] = {
      status: batch.result.result.status,
      code: batch.result.result.body?.code,
      answerMs: batch.result.ms,
      stallMs: batch.stallMs,
    };
    const lookaround = await gateway.graphql(REGISTER, {
      input: {
        type: 'person.renamed',
        stream: 'people',
        schema: { type: 'object', properties: { name: { type: 'string', pattern: '(?=a)a' } } },
      },
    });
    figures['lookaroundAtRegistration'] = codeOf(lookaround);
    return figures;
  });

/** Finding 2: one tenant token opening 150 sockets; 1,100 sockets from one address sending nothing. */
const sockets: Part = () =>
  withGateway({}, async (gateway) => {
    const { token } = await issue(gateway, {
      tenant: 'acme',
      grants: [{ stream: 'platform', operations: ['SUBSCRIBE'] }],
    });
    const fds = () => readdirSync(`/proc/${gateway.child.pid}/fd`).length;
    const fdsBefore = fds();
    const settled = (s: RawSocket) => s.acked || s.closed !== undefined;
    const byToken = Array.from({ length: 150 }, () => rawSocket(gateway, `Bearer ${token}`));
    await waitFor(() => byToken.every(settled), { timeoutMs: 60_000, what: 'token sockets' });
    const tokenHeld = byToken.filter((s) => s.acked && !s.closed).length;
    const tokenRefusal = byToken.find((s) => !s.acked)?.closed;
    const flood = Array.from({ length: 1100 }, () =>
      rawSocket(gateway, undefined, { localAddress: '127.0.0.7' }),
    );
    await waitFor(() => flood.filter((s) => s.closed).length >= 100, {
      timeoutMs: 60_000,
      what: 'sockets over the address cap to close',
    });
    const addressRefused = flood.filter((s) => s.closed?.code === 1013).length;
    const fdsAtPeak = fds();
    const admin = rawSocket(gateway, `Bearer ${gateway.adminToken}`, { localAddress: '127.0.0.7' });
    const other = rawSocket(gateway, `Bearer ${gateway.adminToken}`, { localAddress: '127.0.0.8' });
    await waitFor(() => settled(admin) && settled(other), { what: 'the admin sockets' });
    // Sockets that never send connection_init are closed by graphql-ws's init timeout (3 s).
    const closedByInitTimeout = await waitFor(
      () => flood.every((s) => s.closed) && flood.filter((s) => s.closed!.code === 4408).length,
      { timeoutMs: 30_000, what: 'the silent sockets to close' },
    );
    for (const s of [...byToken, ...flood, admin, other]) s.socket.terminate();
    return {
      tokenSocketsTried: 150,
      tokenHeld,
      tokenRefusal,
      addressSocketsTried: 1100,
      addressRefused1013: addressRefused,
      closedByInitTimeout,
      adminFromSameAddress: admin.acked ? 'acked' : admin.closed,
      adminFromOtherAddress: other.acked ? 'acked' : other.closed,
      gatewayFds: { before: fdsBefore, atPeak: fdsAtPeak },
    };
  });

/**
 * Finding 3: 8 clients guess tokens back to back for 10 s from one address (behind a trusted
 * proxy); meanwhile, every 200 ms, the admin token, a token verified before, and a token never
 * presented before ask `{ me }`: from the guessers' own address, and from another client.
 */
const throttle: Part = () =>
  withGateway({ GATEWAY_TRUSTED_PROXIES: '127.0.0.1' }, async (gateway) => {
    const me = async (token: string, client: string) => {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-forwarded-for': client,
        },
        body: JSON.stringify({ query: '{ me { name } }' }),
      });
      return codeOf((await response.json()) as { errors?: any[] });
    };
    const grants = [{ stream: 'platform', operations: ['SUBSCRIBE'] }];
    const cached = (await issue(gateway, { grants })).token;
    await me(cached, '203.0.113.1');
    const fresh = await Promise.all(Array.from({ length: 120 }, () => issue(gateway, { grants })));
    const attacker = '198.51.100.66';
    const until = Date.now() + 10_000;
    const guesses: Record<string, number> = {};
    const guessing = Array.from({ length: 8 }, async () => {
      while (Date.now() < until) {
        const code = await me(generateToken().token, attacker);
        guesses[code] = (guesses[code] ?? 0) + 1;
      }
    });
    const outcomes: Record<string, Record<string, number>> = {};
    const count = (kind: string, code: string) => {
      outcomes[kind] ??= {};
      outcomes[kind]![code] = (outcomes[kind]![code] ?? 0) + 1;
    };
    let next = 0;
    await sleep(1000); // the attacker is blocked by now
    while (Date.now() < until - 200) {
      count('admin, attacker address', await me(gateway.adminToken, attacker));
      count('verified token, attacker address', await me(cached, attacker));
      count('new token, attacker address', await me(fresh[next++ % 60]!.token, attacker));
      count('new token, other address', await me(fresh[60 + (next % 60)]!.token, '203.0.113.9'));
      await sleep(200);
    }
    await Promise.all(guessing);
    return { guesses, outcomes };
  });

/**
 * Finding 4: 100 SSE subscriptions with a 5 MiB filter operand; one tenant token with 100
 * subscriptions × 6 streams from earliest over streams of other tenants' events.
 */
const amplification: Part = async () => {
  const operands = await withGateway({}, async (gateway) => {
    const before = await rssMiB(gateway);
    const peak = watchPeakRss(gateway.child.pid!);
    const body = JSON.stringify({
      query: eventsSubscription(),
      variables: {
        streams: ['platform'],
        filter: { where: [{ path: 'name', eq: 'x'.repeat(5 * MIB) }] },
      },
    });
    const codes: string[] = [];
    for (let wave = 0; wave < 5; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => sseRefusal(gateway, body)),
      );
      codes.push(...answers.flat());
    }
    await sleep(1000);
    return {
      subscriptions: 100,
      refusedBadUserInput: codes.filter((c) => c === 'BAD_USER_INPUT').length,
      rssMiB: { before, peak: Math.round(peak.stop() / MIB), after: await rssMiB(gateway) },
    };
  });
  const history = await startHistory();
  try {
    const { gateway } = history;
    const { token } = await issue(gateway, {
      tenant: 'acme',
      grants: [{ stream: 'hist-*', operations: ['SUBSCRIBE'] }],
    });
    const before = await rssMiB(gateway);
    const peak = watchPeakRss(gateway.child.pid!);
    const socket = rawSocket(gateway, `Bearer ${token}`);
    await waitFor(() => socket.acked, { what: 'the tenant socket' });
    const start = performance.now();
    for (let i = 0; i < 100; i++) {
      socket.subscribe(String(i), eventsSubscription(), {
        streams: history.streams,
        from: { earliest: true },
      });
    }
    await waitFor(async () => (await metric(gateway, 'streamgate_subscriptions')) >= 100, {
      what: '100 subscriptions',
    });
    await waitFor(
      async () => (await metric(gateway, 'streamgate_subscriptions_catching_up')) === 0,
      { timeoutMs: 300_000, intervalMs: 250, what: 'every subscription to reach the tail' },
    );
    const caughtUpMs = Math.round(performance.now() - start);
    const peakMiB = Math.round(peak.stop() / MIB);
    socket.socket.terminate();
    return {
      operands,
      tenantEarliest: {
        log: history.log,
        history: history.describe,
        subscriptions: '100 × 6 streams',
        messagesReceived: socket.messages - 1,
        allLiveAfterMs: caughtUpMs,
        rssMiB: { before, peak: peakMiB, after: await rssMiB(gateway) },
      },
    };
  } finally {
    await history.stop();
  }
};

/**
 * Finding 5: six tokens whose clients stop reading, each with 100 subscriptions from earliest;
 * another client's replay of one stream and its resume from a cursor, before and during.
 */
const fairness: Part = async () => {
  const history = await startHistory();
  try {
    const { gateway } = history;
    const reader = await issue(gateway, {
      grants: [{ stream: 'hist-*', operations: ['SUBSCRIBE'] }],
    });
    const replay = async (from: Record<string, unknown>) => {
      const socket = rawSocket(gateway, `Bearer ${reader.token}`);
      await waitFor(() => socket.acked, { what: 'the reader socket' });
      let events = 0;
      let lastCursor = '';
      const wanted = history.perStream - (from['after'] ? history.perStream / 2 : 0);
      socket.socket.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.type === 'next' && message.payload.data?.events) {
          events++;
          if (events === history.perStream / 2) lastCursor = message.payload.data.events.cursor;
        }
      });
      const { ms } = await timed(async () => {
        socket.subscribe('r', eventsSubscription(), { streams: [history.streams[0]], from });
        await waitFor(() => events >= wanted, {
          timeoutMs: 300_000,
          what: `${wanted} events of the replay`,
        });
      });
      socket.socket.terminate();
      return { ms, events, lastCursor };
    };
    const quiet = await replay({ earliest: true });
    const quietResume = await replay({ after: quiet.lastCursor });

    const stalled: RawSocket[] = [];
    for (let t = 0; t < 6; t++) {
      const { token } = await issue(gateway, {
        grants: [{ stream: 'hist-*', operations: ['SUBSCRIBE'] }],
      });
      const socket = rawSocket(gateway, `Bearer ${token}`);
      await waitFor(() => socket.acked, { what: 'a stalling socket' });
      for (let i = 0; i < 100; i++) {
        socket.subscribe(String(i), eventsSubscription(), {
          streams: history.streams,
          from: { earliest: true },
        });
      }
      socket.stopReading();
      stalled.push(socket);
    }
    await waitFor(async () => (await metric(gateway, 'streamgate_subscriptions')) >= 600, {
      what: '600 stalled subscriptions',
    });
    await sleep(3000);
    const catchingUp = await metric(gateway, 'streamgate_subscriptions_catching_up');
    const busy = await replay({ earliest: true });
    const busyResume = await replay({ after: busy.lastCursor });
    for (const socket of stalled) socket.socket.terminate();
    return {
      log: history.log,
      history: history.describe,
      stalledTokens: 6,
      stalledSubscriptions: 600,
      catchingUpWhileStalled: catchingUp,
      replayMs: { quiet: quiet.ms, withStalledTokens: busy.ms },
      resumeMs: { quiet: quietResume.ms, withStalledTokens: busyResume.ms },
      replayEvents: { quiet: quiet.events, withStalledTokens: busy.events },
    };
  } finally {
    await history.stop();
  }
};

/** A schema of `count` string properties with names of `nameLength` characters. */
function wideSchema(count: number, nameLength: number, seed: string): object {
  const properties: Record<string, object> = {};
  for (let i = 0; i < count; i++) {
    properties[`f_${seed}_${i}_`.padEnd(nameLength, 'x')] = {
      type: 'string',
      description: `property ${i}`,
    };
  }
  return { type: 'object', properties };
}

/** Finding 8: four 239 KB schemas of 3,000 properties; four of the largest a stream may hold. */
const schemas: Part = () =>
  withGateway({}, async (gateway) => {
    await graphqlOk(gateway, 'mutation { createStream(input: { name: "wide" }) { name } }');
    const before = await rssMiB(gateway);
    const huge: unknown[] = [];
    for (let seed = 0; seed < 4; seed++) {
      const schema = wideSchema(3000, 50, `h${seed}`);
      const { result, stallMs } = await stallDuring(gateway, () =>
        gateway.graphql(REGISTER, { input: { type: `huge.t${seed}`, stream: 'wide', schema } }),
      );
      huge.push({
        kb: Math.round(JSON.stringify(schema).length / 1000),
        code: codeOf(result),
        stallMs,
      });
    }
    const afterHuge = await rssMiB(gateway);
    const largest: unknown[] = [];
    for (let seed = 0; seed < 4; seed++) {
      // 500 properties in under 64 KiB: the most the default limits let through.
      const schema = wideSchema(500, 60, `l${seed}`);
      const { result, stallMs } = await stallDuring(gateway, () =>
        gateway.graphql(REGISTER, { input: { type: `large.t${seed}`, stream: 'wide', schema } }),
      );
      largest.push({
        kb: Math.round(JSON.stringify(schema).length / 1000),
        code: codeOf(result),
        stallMs,
      });
    }
    // A later, small registry change: its stall with the four large types in the schema.
    const { result, stallMs } = await stallDuring(gateway, () =>
      gateway.graphql(REGISTER, {
        input: { type: 'small.t', stream: 'wide', schema: { type: 'object' } },
      }),
    );
    await sleep(2000);
    return {
      refused: huge,
      rssMiB: { before, afterRefused: afterHuge, afterLargest: await rssMiB(gateway) },
      largestAccepted: largest,
      laterChange: { code: codeOf(result), stallMs },
    };
  });

/** Finding 9: what a team token's introspection holds, and who may read /metrics. */
const introspection: Part = () =>
  withGateway(
    { GATEWAY_METRICS_TOKEN: `metrics-${randomBytes(12).toString('hex')}` },
    async (gateway) => {
      for (const [stream, type, field] of [
        ['team-a', 'widget.made', 'widgetId'],
        ['team-b', 'card.captured', 'cardNumber'],
      ] as const) {
        await graphqlOk(
          gateway,
          `mutation { createStream(input: { name: "${stream}" }) { name } }`,
        );
        await graphqlOk(gateway, REGISTER, {
          input: {
            type,
            stream,
            schema: {
              type: 'object',
              properties: { [field]: { type: 'string' }, cvv: { type: 'string' } },
            },
          },
        });
      }
      const { token } = await issue(gateway, {
        tenant: 'acme',
        grants: [{ stream: 'team-a', operations: ['SUBSCRIBE', 'PUBLISH'] }],
      });
      const typesOf = async (as?: string) => {
        const answer = await gateway.graphql(getIntrospectionQuery(), undefined, as);
        const text = JSON.stringify(answer.data);
        return {
          types: (answer.data.__schema.types as unknown[]).length,
          seesCardNumber: text.includes('cardNumber'),
          seesWidgetId: text.includes('widgetId'),
        };
      };
      const metricsStatus = async (as?: string) =>
        (
          await fetch(
            `${gateway.url}/metrics`,
            as ? { headers: { authorization: `Bearer ${as}` } } : {},
          )
        ).status;
      return {
        teamToken: await typesOf(token),
        admin: await typesOf(),
        metricsStatus: {
          noToken: await metricsStatus(),
          teamToken: await metricsStatus(token),
          admin: await metricsStatus(gateway.adminToken),
        },
      };
    },
  );

/** Finding 10: limits no token could live with, and revoking. */
const tokenLimits: Part = () =>
  withGateway({}, async (gateway) => {
    const ISSUE = 'mutation($input: IssueTokenInput!) { issueToken(input: $input) { id } }';
    const grants = [{ stream: 'platform', operations: ['SUBSCRIBE'] }];
    const answers: Record<string, string> = {};
    for (const limits of [
      { publishPerSecond: 0 },
      { publishPerSecond: -1 },
      { maxSubscriptions: -1 },
    ]) {
      answers[JSON.stringify(limits)] = codeOf(
        await gateway.graphql(ISSUE, { input: { name: 'x', grants, ...limits } }),
      );
    }
    const { id } = await issue(gateway, { grants });
    const revoke = 'mutation($id: ID!) { revokeToken(id: $id) }';
    return {
      issueToken: answers,
      revoke: (await gateway.graphql(revoke, { id })).data,
      revokeUnknown: codeOf(await gateway.graphql(revoke, { id: 'nope' })),
    };
  });

/** Finding 11: two processes taking one directory's lock in the same millisecond, 300 times. */
const lock: Part = async () => {
  const module = fileURLToPath(new URL('../dist/log/embedded/data-dir-lock.js', import.meta.url));
  const trial = async (): Promise<string[]> => {
    const dir = await mkdtemp(join(tmpdir(), 'streamgate-lock-bench-'));
    // The compiled module: plain node starts fast enough for 300 trials.
    const race = await raceForLock({ lockModule: module, dir, contenders: 2, startDelayMs: 600 });
    race.release();
    await rm(dir, { recursive: true, force: true });
    return race.outcomes;
  };
  const trials = Number(process.env['LOCK_TRIALS'] ?? 300);
  let bothWon = 0;
  let oneWon = 0;
  let other = 0;
  for (let done = 0; done < trials; done += 5) {
    for (const outcomes of await Promise.all(Array.from({ length: 5 }, trial))) {
      const won = outcomes.filter((o) => o === 'won').length;
      if (won === 2) bothWon++;
      else if (won === 1 && outcomes.includes('refused')) oneWon++;
      else other++;
    }
  }
  return { trials, exactlyOneWon: oneWon, bothWon, other };
};

/** Finding 12: failed verification time, unknown token id against a wrong secret, alternated. */
const oracle: Part = () =>
  withGateway({ GATEWAY_TRUSTED_PROXIES: '127.0.0.1' }, async (gateway) => {
    const { id } = await issue(gateway, {
      grants: [{ stream: 'platform', operations: ['SUBSCRIBE'] }],
    });
    let client = 0;
    const attempt = async (token: string) => {
      client++; // a client address each, so that the throttle never answers instead
      const { ms, result } = await timed(() =>
        fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-forwarded-for': `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`,
          },
          body: JSON.stringify({ query: '{ me { name } }' }),
        }).then((r) => r.json()),
      );
      return { ms, code: codeOf(result as { errors?: any[] }) };
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    const codes = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const a = await attempt(generateToken().token);
      const b = await attempt(`sg_${id}_${generateToken().secret}`);
      unknown.push(a.ms);
      wrong.push(b.ms);
      codes.add(a.code).add(b.code);
    }
    const p90 = (values: number[]) =>
      [...values].sort((x, y) => x - y)[Math.floor(values.length * 0.9)];
    return {
      pairs: 60,
      codes: [...codes],
      unknownIdMs: { median: median(unknown), p90: p90(unknown) },
      wrongSecretMs: { median: median(wrong), p90: p90(wrong) },
    };
  });

export const hardeningParts: Record<string, Part> = {
  redos,
  sockets,
  throttle,
  amplification,
  fairness,
  schemas,
  introspection,
  'token-limits': tokenLimits,
  lock,
  oracle,
};
