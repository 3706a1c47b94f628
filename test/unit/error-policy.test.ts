/**
 * The one error policy (src/http/error-policy.ts), on errors as graphql-js really makes them:
 * what a client is told, and what is logged. No network.
 */
import {
  GraphQLEnumType,
  GraphQLError,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  graphql,
} from 'graphql';
import { describe, expect, test } from 'vitest';
import { gatewayError } from '../../src/errors.js';
import { clientErrorOf } from '../../src/http/error-policy.js';
import { problemResponse } from '../../src/http/problem.js';
import { LogError, LogErrorCode } from '../../src/log/event-log.js';

const Region = new GraphQLEnumType({ name: 'Region', values: { us: {}, eu: {} } });
let failure: unknown;
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      region: { type: Region, resolve: () => 'mars' },
      echo: {
        type: Region,
        args: { region: { type: Region } },
        resolve: (_root, args: { region?: string }) => args.region,
      },
      fails: {
        type: GraphQLString,
        resolve: () => {
          throw failure;
        },
      },
    },
  }),
});

/** The first error of running `source`, as a client would receive it, and what was logged. */
async function seen(source: string, variables?: Record<string, unknown>) {
  const result = await graphql({ schema, source, variableValues: variables ?? null });
  const error = result.errors?.[0];
  if (!error) throw new Error(`no error: ${JSON.stringify(result)}`);
  const logged: unknown[] = [];
  const client = clientErrorOf(error, (cause) => logged.push(cause));
  return { client: client.toJSON(), logged };
}

describe('the error policy', () => {
  test('output coercion of the server’s own data is masked and logged, not BAD_USER_INPUT', async () => {
    const { client, logged } = await seen('{ region }');
    expect(client.message).toBe('Unexpected error.');
    expect(client.extensions?.['code']).toBeUndefined();
    expect(logged).toHaveLength(1);
    expect(String((logged[0] as Error).message)).toMatch(/Enum "Region" cannot represent value/);
  });

  test('a GraphQLError with no contract code thrown by a resolver is masked and logged', async () => {
    failure = new GraphQLError('library detail', {
      originalError: new GraphQLError('inner detail'),
    });
    const { client, logged } = await seen('{ fails }');
    expect(client.message).toBe('Unexpected error.');
    expect(logged).toEqual([failure]);
  });

  test('a contract error passes through with its path and is not logged', async () => {
    failure = gatewayError('FORBIDDEN', 'no grant for stream "x"');
    const { client, logged } = await seen('{ fails }');
    expect(client).toMatchObject({
      message: 'no grant for stream "x"',
      path: ['fails'],
      extensions: { code: 'FORBIDDEN' },
    });
    expect(logged).toEqual([]);
  });

  test('an unreachable event log is UNAVAILABLE, not an unexpected error', async () => {
    failure = new LogError(LogErrorCode.Unavailable, 'createTopic x: broker down', {
      cause: new Error('Connection error'),
    });
    const { client, logged } = await seen('{ fails }');
    expect(client).toMatchObject({ path: ['fails'], extensions: { code: 'UNAVAILABLE' } });
    expect(logged).toEqual([]);
  });

  test('a variable of the wrong type is the client’s mistake: BAD_USER_INPUT, not logged', async () => {
    const { client, logged } = await seen('query($r: Region) { echo(region: $r) }', {
      r: 'mars',
    });
    expect(client.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(client.message).toMatch(/Variable "\$r" got invalid value "mars"/);
    expect(logged).toEqual([]);
  });

  test('POST /events answers the same: contract codes with their status, the rest a masked 500', async () => {
    const logged: unknown[] = [];
    const unavailable = problemResponse(
      new LogError(LogErrorCode.Unavailable, 'append: broker down'),
      (cause) => logged.push(cause),
    );
    expect(unavailable.status).toBe(503);
    expect(await unavailable.json()).toMatchObject({ code: 'UNAVAILABLE' });

    const bug = new TypeError('cannot read properties of undefined');
    const masked = problemResponse(bug, (cause) => logged.push(cause));
    expect(masked.status).toBe(500);
    expect(await masked.json()).toMatchObject({ detail: 'Unexpected error.' });
    expect(logged).toEqual([bug]);
  });
});
