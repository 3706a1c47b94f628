/** Platform-like registry records for the registry benchmarks. */
import { readdir, readFile } from 'node:fs/promises';
import { platformStream } from '../src/registry/platform-stream.js';
import type { SchemaVersionRecord, StreamRecord } from '../src/registry/registry-records.js';
import type { JsonSchema } from '../src/registry/schema-validator.js';

const createdAt = '2026-01-01T00:00:00.000Z';

/** The platform schemas, as templates. */
async function templates(): Promise<{ action: string; schema: Record<string, unknown> }[]> {
  const files = (await readdir(platformStream.schemaDir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({
      action: file.slice(0, -'.json'.length).split('.').pop()!,
      schema: JSON.parse(await readFile(new URL(file, platformStream.schemaDir), 'utf8')) as Record<
        string,
        unknown
      >,
    })),
  );
}

/** `count` schema records on stream `stream`: template i % n, plus fields only type i has. */
export async function generatedRecords(
  stream: string,
  count: number,
  first = 0,
): Promise<SchemaVersionRecord[]> {
  const shapes = await templates();
  return Array.from({ length: count }, (_, at) => {
    const i = first + at;
    const { action, schema } = shapes[i % shapes.length]!;
    const properties = {
      ...(schema['properties'] as Record<string, unknown>),
      [`tenant_field_${i}`]: { type: 'string', description: `A field only type ${i} has.` },
      [`score_${i}`]: { type: 'integer', minimum: 0 },
      [`labels_${i}`]: {
        type: 'array',
        items: { type: 'string', enum: ['red', 'green', `blue-${i}`] },
      },
    };
    return {
      kind: 'schema',
      type: `service${String(i).padStart(4, '0')}.resource.${action}`,
      stream,
      version: 1,
      schema: { ...schema, properties } as JsonSchema,
      compatibility: 'BACKWARD',
      description: null,
      owner: 'bench',
      createdAt,
    };
  });
}

export function streamRecord(name: string): StreamRecord {
  return {
    kind: 'stream',
    name,
    partitions: 3,
    retentionHours: 168,
    description: null,
    owner: 'bench',
    createdAt,
  };
}
