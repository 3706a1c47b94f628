import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import {
  buildClientSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
  type IntrospectionQuery,
} from 'graphql';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import codegenConfig, { generatedTypesFile } from '../../codegen.js';
import type { AppCreated, AppCreatedPublish, PublishResult } from '../../src/generated/graphql.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committedSdlFile = join(root, 'schema/schema.graphql');
const STALE =
  'stale generated files: run `npm run codegen` and commit schema/schema.graphql and src/generated/';

/** The first line where `actual` differs from `expected`, shown both ways; undefined when equal. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const line = a.findIndex((text, i) => text !== e[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: ${JSON.stringify(a[at])} where ${JSON.stringify(e[at])} was expected`;
}

/** The SDL without the generated-file header comment, as graphql-js prints a schema. */
function withoutHeader(sdl: string): string {
  return sdl.replace(/^(#[^\n]*\n)+\n/, '');
}

describe('generated files', () => {
  let work: string;
  let freshSdl: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'streamgate-codegen-'));
    const out = join(work, 'schema.graphql');
    // Exactly what `npm run codegen` runs first, written to a temporary file.
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/print-schema.ts', '--out', out],
      { cwd: root },
    );
    freshSdl = await readFile(out, 'utf8');
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('schema/schema.graphql is the schema the gateway builds for the platform stream', async () => {
    const committed = await readFile(committedSdlFile, 'utf8');
    expect(firstDifference(committed, freshSdl), STALE).toBeUndefined();
    // The SDL holds the platform event types, typed from their JSON Schemas.
    expect(freshSdl).toContain('type AppCreated implements Event {');
    expect(freshSdl).toContain('input AppCreatedPublish {');
    expect(freshSdl).toMatch(/input PublishInput @oneOf \{[^}]*appCreated: AppCreatedPublish/);
  });

  it('src/generated/graphql.ts is what GraphQL Code Generator makes of that schema', async () => {
    const output = codegenConfig.generates[generatedTypesFile];
    const [generated] = await generate(
      {
        ...codegenConfig,
        cwd: root,
        schema: join(work, 'schema.graphql'),
        generates: { [generatedTypesFile]: output! },
        silent: true,
      },
      false,
    );
    const committed = await readFile(join(root, generatedTypesFile), 'utf8');
    expect(generated?.filename).toBe(generatedTypesFile);
    expect(firstDifference(committed, generated!.content), STALE).toBeUndefined();
  });
});

describe('the schema a running gateway serves', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGatewayProcess();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('is schema/schema.graphql, by introspection', async () => {
    const result = await gateway.graphql<IntrospectionQuery>(
      getIntrospectionQuery({ descriptions: true, oneOf: true, specifiedByUrl: true }),
    );
    expect(result.errors).toBeUndefined();
    // The gateway keeps types in the order it built them (sorting 13,000 types on each registry
    // change would stall it); the committed SDL is sorted, so compare sorted.
    const served = printSchema(lexicographicSortSchema(buildClientSchema(result.data!)));
    const committed = withoutHeader(await readFile(committedSdlFile, 'utf8'));
    expect(
      firstDifference(`${served}\n`, committed),
      'the gateway serves another schema than schema/schema.graphql',
    ).toBeUndefined();
  });

  it('takes a typed publish written with the generated types and delivers it typed', async () => {
    const appId = '01234567-89ab-cdef-0123-456789abcdef';
    const event: AppCreatedPublish = {
      resourceId: appId,
      data: {
        id: appId,
        name: 'example-shop',
        region: { id: '59accabd-516d-4f0e-83e6-6e3757701145', name: 'eu' },
        stack: { id: 'ae3d6f4c-5e0b-4f2a-9a43-0f1c5d1b7a21', name: 'heroku_24' },
        owner: { id: '5f2a6d1e-8b3c-4e7f-9a0d-2c4b6e8f1a3c', email: 'dev@example.com' },
        acm: false,
        maintenance: false,
        created_at: '2026-03-14T09:26:53Z',
        updated_at: '2026-03-14T09:26:53Z',
      },
    };
    const published = await gateway.graphql<{
      publish: Pick<PublishResult, 'id' | 'type' | 'stream'>;
    }>(
      `mutation ($event: AppCreatedPublish!) { publish(event: { appCreated: $event }) { id type stream } }`,
      { event },
    );
    expect(published.errors).toBeUndefined();
    expect(published.data?.publish).toMatchObject({ type: 'app.created', stream: 'platform' });

    const client = createClient({
      url: `${gateway.url}/graphql`,
      headers: { authorization: `Bearer ${gateway.adminToken}` },
      retryAttempts: 0,
    });
    type Delivered = Pick<AppCreated, 'id' | 'type'> & {
      data: { name: string; region: { name: string }; stack: { name: string } };
    };
    const events = client.iterate<{ events: Delivered }>({
      query: `subscription {
        events(streams: ["platform"], filter: { types: ["app.created"] }, from: { earliest: true }) {
          id type ... on AppCreated { data { name region { name } stack { name } } }
        }
      }`,
    });
    try {
      const first = await events.next();
      expect(first.value?.data?.events).toEqual({
        id: published.data!.publish.id,
        type: 'app.created',
        data: { name: 'example-shop', region: { name: 'eu' }, stack: { name: 'heroku_24' } },
      });
    } finally {
      await events.return?.(undefined);
      client.dispose();
    }
  });
});
