/**
 * The worker thread of schema-check.ts: compiles a registration's JSON Schema to tell whether
 * it is valid, off the gateway's event loop. Answers `{ id }`, or `{ id, error }` with the
 * message compileDataValidator would throw.
 */
import { parentPort } from 'node:worker_threads';
import { assertSchemaCompiles, type JsonSchema } from './schema-validator.js';

parentPort?.on('message', ({ id, schema }: { id: number; schema: JsonSchema }) => {
  try {
    assertSchemaCompiles(schema);
    parentPort?.postMessage({ id });
  } catch (error) {
    parentPort?.postMessage({ id, error: (error as Error).message });
  }
});
