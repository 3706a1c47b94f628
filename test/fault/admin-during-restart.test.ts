/**
 * Administration while the Kafka broker restarts: createStream, registerEventType and
 * issueToken either work or answer UNAVAILABLE (Kafka cannot be reached; retry) — never
 * "Unexpected error." — while the broker is down, and right after it serves again, when its
 * partitions are still being loaded ("This server does not host this topic-partition"), the
 * gateway retries within a bound instead of failing the call.
 *
 * The broker is this file's own (stopping the run's shared broker would break other tests).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { platformSchema } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { startKafka, type KafkaBroker } from '../support/kafka.js';
import { waitFor } from '../support/wait-for.js';

/** What an admin sees of one call: its data, or the code (or message) of its first error. */
type Answer = { readonly ok: true } | { readonly ok: false; readonly code: string };

describe('administration during a broker restart', () => {
  let broker: KafkaBroker;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    broker = await startKafka({ log: () => undefined });
    gateway = await startGatewayProcess({ brokers: broker.brokers });
  }, 180_000);
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await broker?.close();
  });

  /** A stream, an event type on it and a token for it, as an admin sets up a team. */
  async function setUpTeam(): Promise<Answer[]> {
    const stream = `team${randomBytes(4).toString('hex')}`;
    const call = async (query: string, variables: Record<string, unknown>): Promise<Answer> => {
      const body = await gateway.graphql(query, variables);
      if (!body.errors?.length) return { ok: true };
      const [error] = body.errors;
      return { ok: false, code: String(error.extensions?.code ?? error.message) };
    };
    const steps: [string, Record<string, unknown>][] = [
      [
        'mutation($input: CreateStreamInput!) { createStream(input: $input) { name } }',
        { input: { name: stream, partitions: 2 } },
      ],
      [
        'mutation($input: RegisterEventTypeInput!) { registerEventType(input: $input) { version } }',
        { input: { type: `${stream}.created`, stream, schema: platformSchema('app.created') } },
      ],
      [
        'mutation($input: IssueTokenInput!) { issueToken(input: $input) { id } }',
        { input: { name: stream, grants: [{ stream, operations: ['PUBLISH', 'SUBSCRIBE'] }] } },
      ],
    ];
    // Each step needs the one before it: a refusal ends the set-up.
    const answers: Answer[] = [];
    for (const [query, variables] of steps) {
      const answer = await call(query, variables);
      answers.push(answer);
      if (!answer.ok) break;
    }
    return answers;
  }

  test.each([
    ['stopped', false],
    ['killed', true],
  ])(
    'with the broker %s: UNAVAILABLE while it is down, then working again, never an unexpected error',
    { timeout: 240_000 },
    async (_how, kill) => {
      expect(await setUpTeam()).toEqual([{ ok: true }, { ok: true }, { ok: true }]);

      await broker.stop({ kill });
      const whileDown = await setUpTeam();
      expect(whileDown[0]).toEqual({ ok: false, code: 'UNAVAILABLE' });
      for (const answer of whileDown)
        expect([true, 'UNAVAILABLE']).toContain(answer.ok || answer.code);

      await broker.start();
      // At once, while the broker loads its partitions; then until it all works.
      const answers: Answer[] = [];
      await waitFor(
        async () => {
          const round = await setUpTeam();
          answers.push(...round);
          return round.length === 3 && round.every((answer) => answer.ok);
        },
        { timeoutMs: 120_000, intervalMs: 200, what: 'administration to work again' },
      );
      const refusals = answers.filter((answer) => !answer.ok);
      console.log(
        `[broker ${_how}] ${answers.length} admin calls after the restart, refused: ${JSON.stringify(refusals)}`,
      );
      for (const answer of refusals) expect(answer).toEqual({ ok: false, code: 'UNAVAILABLE' });
      expect(gateway.child.exitCode).toBeNull();
    },
  );
});
