/**
 * What one registration costs, part by part, in one process at N platform-like event types (no
 * Kafka): each part run 15 times, the minimum and the median in milliseconds. The minimum is the
 * figure that survives a busy machine; the event-loop stalls of bench/registry-scale.ts do not.
 * Prints JSON; asserts nothing.   npx tsx bench/registry-parts.ts [eventTypes]
 */
import { loadavg } from 'node:os';
import { parse, validate } from 'graphql';
import { canonicalJson } from '../src/canonical-json.js';
import {
  assembleSchema,
  buildFixedSchema,
  eventTypeGraphqlOf,
} from '../src/graphql/build-schema.js';
import { validateWithLazyTypeNames } from '../src/graphql/known-type-names.js';
import { buildEventTypeModel } from '../src/registry/graphql-model/build-model.js';
import { RegistryState } from '../src/registry/registry-state.js';
import { compileDataValidator } from '../src/registry/schema-validator.js';
import { generatedRecords, streamRecord } from './registry-records.js';

const eventTypes = Number(process.argv[2] ?? 1000);
const REPEATS = 15;

function timed(run: (i: number) => unknown): { minMs: number; medianMs: number } {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    run(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { minMs: round(times[0]!), medianMs: round(times[Math.floor(REPEATS / 2)]!) };
}

async function main(): Promise<void> {
  const state = new RegistryState();
  state.apply(streamRecord('bench'));
  for (const record of await generatedRecords('bench', eventTypes)) state.apply(record);
  const fixed = buildFixedSchema((type) => state.eventTypes.get(type)?.graphqlName);
  const defs = [...state.eventTypes.values()];
  const kits = defs.map((def) => eventTypeGraphqlOf(def, fixed));
  const schema = assembleSchema(fixed, kits, { assumeValid: true });
  const fresh = await generatedRecords('bench', REPEATS, 900_000);
  const query = parse(`{ __type(name: "${defs[0]!.graphqlName}Data") { name } }`);
  const parts = {
    // On the registering instance, now on a worker thread (src/registry/schema-check.ts).
    ajvCompile: timed((i) => compileDataValidator(fresh[i]!.schema)),
    graphqlModel: timed((i) => buildEventTypeModel(fresh[i]!.type, fresh[i]!.schema)),
    canonicalJson: timed((i) => canonicalJson(fresh[i]!.schema)),
    eventTypeGraphql: timed((i) => eventTypeGraphqlOf(defs[i]!, fixed)),
    eventTypeGraphqlFieldsLeftLazy: timed((i) =>
      eventTypeGraphqlOf(defs[i]!, fixed, { resolveFields: false }),
    ),
    // In slices of at most 8 ms in the gateway (schema-assembler.ts).
    assembleSchema: timed(() => assembleSchema(fixed, kits, { assumeValid: true })),
    validateDocumentGraphqlJs: timed(() => validate(schema, query)),
    validateDocumentLazyTypeNames: timed(() => validateWithLazyTypeNames(schema, query)),
  };
  process.stdout.write(
    `${JSON.stringify(
      {
        eventTypes,
        graphqlTypes: Object.keys(schema.getTypeMap()).length,
        loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
        parts,
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
