/**
 * The registry's limits under fuzzing (issue 15: "the fuzz test covers the new limits"): a team
 * token with MANAGE on its own prefix throws random and hostile registrations at a gateway
 * process (schemas too wide, too deep, too big, patterns that backtrack or that RE2 cannot run,
 * random JSON), publishes hostile strings to what was accepted, and issues tokens with random
 * limits. The event type caps are set low so that the run reaches them. Afterwards:
 * - every answer carries a code of the contract: no server error, no "Unexpected error.";
 * - nothing over a limit was accepted: no schema over twice a size limit, no more types than
 *   the caps allow, no token with limits nobody could use;
 * - the gateway still serves.
 *
 * The embedded log: these limits are the registry's, whatever the log. FUZZ_SEED=<seed>
 * replays a run, FUZZ_CASES=<n> changes its length.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { graphqlOk } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { mutateJson, Random, randomJson } from './fuzz-inputs.js';

const CASES = Number(process.env['FUZZ_CASES'] ?? 400);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const PER_STREAM = 25;
const IN_ALL = 40;
const MAX_BYTES = 65536;
const MAX_PROPERTIES = 500;
const MAX_DEPTH = 32;

const HOSTILE_PATTERNS = [
  '^(a+)+$',
  '(a|aa)+$',
  '^(a|a?)+$',
  '(x+x+)+y',
  '^(\\w+\\s?)*$',
  '(?=a)a',
  '(?<!b)a',
  '^(a)\\1$',
  '[',
  '(',
  '\\',
  'a{1,100000}',
  '\\p{L}+',
  '^[\\u0000-\\uffff]*$',
  '.*.*.*.*.*.*=',
];

/** A schema of `count` properties nested `depth` deep, padded to about `bytes`. */
function shapedSchema(random: Random, count: number, depth: number, bytes: number): object {
  const properties: Record<string, object> = {};
  for (let i = 0; i < count; i++) properties[`p${i}`] = { type: 'string' };
  let schema: Record<string, unknown> = { type: 'object', properties };
  for (let level = 0; level < depth; level++) {
    schema = { type: 'object', properties: { [`n${level}`]: schema } };
  }
  if (bytes > 0) schema['description'] = 'd'.repeat(bytes);
  if (random.chance(0.3)) {
    const pattern = random.pick(HOSTILE_PATTERNS);
    schema['patternProperties'] = { [pattern]: { type: 'string', pattern } };
  }
  return schema;
}

function hostileSchema(random: Random): { schema: unknown; overTwice: boolean } {
  const roll = random.next();
  if (roll < 0.35) {
    const count = random.pick([10, 400, 499, 500, 501, 1200, 3000]);
    const depth = random.pick([0, 5, 31, 32, 33, 80]);
    const bytes = random.pick([0, 1000, 60_000, 65_536, 70_000, 200_000]);
    return {
      schema: shapedSchema(random, count, depth, bytes),
      overTwice: count > 2 * MAX_PROPERTIES || depth > 2 * MAX_DEPTH || bytes > 2 * MAX_BYTES,
    };
  }
  if (roll < 0.7) {
    const pattern = random.pick(HOSTILE_PATTERNS);
    return {
      schema: {
        type: 'object',
        properties: { name: { type: 'string', pattern } },
        ...(random.chance(0.5) ? { patternProperties: { [pattern]: { type: 'string' } } } : {}),
      },
      overTwice: false,
    };
  }
  if (roll < 0.85) return { schema: randomJson(random, 0), overTwice: false };
  return {
    schema: mutateJson(random, {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', pattern: '^[a-z]+$', maxLength: 20 } },
    }),
    overTwice: false,
  };
}

describe('fuzzing the registry limits', () => {
  let gateway: GatewayProcess;
  let team: string;

  beforeAll(async () => {
    gateway = await startGatewayProcess({
      env: {
        GATEWAY_MAX_EVENT_TYPES_PER_STREAM: String(PER_STREAM),
        GATEWAY_MAX_EVENT_TYPES: String(IN_ALL),
      },
    });
    const issued = await graphqlOk<{ issueToken: { token: string } }>(
      gateway,
      'mutation { issueToken(input: { name: "team", grants: [{ stream: "fz-*", operations: [MANAGE, PUBLISH] }] }) { token } }',
    );
    team = issued.issueToken.token;
    for (const name of ['fz-a', 'fz-b']) {
      await graphqlOk(
        gateway,
        `mutation { createStream(input: { name: "${name}" }) { name } }`,
        {},
        team,
      );
    }
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
  });

  test(
    `${CASES} hostile registrations, publishes and token limits: coded answers, limits held`,
    { timeout: 600_000 },
    async () => {
      const random = new Random(SEED);
      console.log(`registry fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${CASES} cases`);
      const accepted: string[] = [];
      const problems: string[] = [];
      const kinds = new Map<string, number>();
      const check = (kind: string, body: { errors?: any[] } | undefined, status: number) => {
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        const codes = (body?.errors ?? []).map((e) => e.extensions?.code ?? '(none)');
        if (status >= 500 || codes.some((c: string) => !Object.hasOwn(ErrorCode, c))) {
          problems.push(`${kind}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
        }
        return codes as string[];
      };
      const post = async (query: string, variables: Record<string, unknown>, token = team) => {
        // A hang guard: every request must be answered; no timing is asserted.
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(60_000),
        });
        return { status: response.status, body: (await response.json()) as any };
      };

      for (let n = 0; n < CASES; n++) {
        const roll = random.next();
        if (roll < 0.6 || accepted.length === 0) {
          const { schema, overTwice } = hostileSchema(random);
          const type = `fz.t${n}`;
          const { status, body } = await post(
            'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { type } }',
            { input: { type, stream: random.pick(['fz-a', 'fz-b']), schema } },
          );
          const codes = check('register', body, status);
          if (codes.length === 0) {
            accepted.push(type);
            if (overTwice) problems.push(`accepted a schema over twice a limit: ${type}`);
          }
        } else if (roll < 0.85) {
          const evil = `${'a'.repeat(random.pick([5, 28, 64, 4000]))}!`;
          const { status, body } = await post(
            'mutation($event: PublishJsonInput!) { publishJson(event: $event) { id } }',
            { event: { type: random.pick(accepted), data: { name: evil, [evil]: evil } } },
          );
          check('publish', body, status);
        } else {
          const limits = {
            publishPerSecond: random.pick([-1e9, -1, 0, 1e-9, 0.5, 1, 1e9]),
            maxSubscriptions: random.pick([-(2 ** 31), -1, 0, 1, 2 ** 31 - 1]),
          };
          const { status, body } = await post(
            'mutation($input: IssueTokenInput!) { issueToken(input: $input) { id } }',
            {
              input: {
                name: 'fuzzed',
                grants: [{ stream: 'fz-a', operations: ['SUBSCRIBE'] }],
                ...limits,
              },
            },
          );
          const codes = check('issueToken', body, status);
          const unusable = limits.publishPerSecond <= 0 || limits.maxSubscriptions < 0;
          if (unusable && codes.length === 0) {
            problems.push(`issued a token with ${JSON.stringify(limits)}`);
          }
        }
      }
      console.log(
        `registry fuzz: ${JSON.stringify(Object.fromEntries(kinds))}; ${accepted.length} types accepted`,
      );
      expect(problems.slice(0, 5)).toEqual([]);

      // The caps held, however the run went.
      const streams = await graphqlOk<{ streams: { name: string; eventTypes: unknown[] }[] }>(
        gateway,
        '{ streams { name eventTypes { type } } }',
      );
      const fuzzed = streams.streams.filter((s) => s.name.startsWith('fz-'));
      for (const stream of fuzzed) expect(stream.eventTypes.length).toBeLessThanOrEqual(PER_STREAM);
      const total = streams.streams.reduce((sum, s) => sum + s.eventTypes.length, 0);
      expect(total).toBeLessThanOrEqual(IN_ALL + 23); // the built-in platform stream's 23 besides
      expect(await gateway.graphql('{ me { name } }')).toEqual({ data: { me: { name: 'admin' } } });
    },
  );
});
