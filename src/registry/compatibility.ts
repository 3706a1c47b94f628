/**
 * JSON Schema compatibility checks for the schema registry, following Confluent Schema
 * Registry's rules for JSON Schema (its content models: open, closed, partially open).
 * Pure: no I/O. Implementation in ./compatibility/.
 */
import { compareSchemas } from './compatibility/compare-schema.js';
import { deepEqual } from './compatibility/deep-equal.js';
import {
  ComparisonTooComplex,
  DiffContext,
  MAX_COMPARED_PAIRS,
  MAX_NESTING,
  type Finding,
  type Roles,
  type SchemaChange,
} from './compatibility/diff-context.js';
import { SchemaSide } from './compatibility/schema-side.js';
import type { JsonSchema } from './schema-validator.js';

export type { SchemaChange } from './compatibility/diff-context.js';

/** The registry's compatibility modes (the contract's `enum Compatibility`); BACKWARD by default. */
export const CompatibilityMode = [
  'NONE',
  'BACKWARD',
  'FORWARD',
  'FULL',
  'BACKWARD_TRANSITIVE',
  'FORWARD_TRANSITIVE',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityMode = (typeof CompatibilityMode)[number];

/** Changes that make data written with `writer` unreadable by a reader using `reader`. [] when compatible. */
export function readerCanRead(reader: JsonSchema, writer: JsonSchema): SchemaChange[] {
  return diff(writer, reader, { reader: 'the reader schema', writer: 'the writer schema' });
}

/**
 * Checks a candidate against the existing versions (oldest first, so index i is version i + 1)
 * per mode; [] when allowed. BACKWARD: the candidate reads data written with the latest
 * version; FORWARD: the latest version reads data written with the candidate; FULL: both;
 * *_TRANSITIVE: the same against every version.
 */
export function checkCompatibility(
  mode: CompatibilityMode,
  candidate: JsonSchema,
  previous: readonly JsonSchema[],
): SchemaChange[] {
  // A mode from an old or foreign record that we do not know gets the contract's default.
  const known: CompatibilityMode = CompatibilityMode.includes(mode) ? mode : 'BACKWARD';
  if (known === 'NONE' || previous.length === 0) return [];
  const transitive = known.endsWith('_TRANSITIVE');
  const direction = known.replace('_TRANSITIVE', '');
  const backward = direction === 'BACKWARD' || direction === 'FULL';
  const forward = direction === 'FORWARD' || direction === 'FULL';
  const versions = transitive ? previous.map((_, i) => i) : [previous.length - 1];
  const changes: SchemaChange[] = [];
  for (const index of versions) {
    const existing = previous[index]!;
    const version = `version ${index + 1}`;
    if (backward)
      changes.push(...diff(existing, candidate, { reader: 'the new schema', writer: version }));
    if (forward)
      changes.push(...diff(candidate, existing, { reader: version, writer: 'the new schema' }));
  }
  return changes;
}

function diff(writer: JsonSchema, reader: JsonSchema, roles: Roles): SchemaChange[] {
  try {
    if (deepEqual(writer, reader)) return [];
    const ctx = DiffContext.create(new SchemaSide(writer), new SchemaSide(reader), roles);
    return toSchemaChanges(compareSchemas(ctx, writer, reader, '#'));
  } catch (error) {
    // Stack exhaustion is the same condition met early, when the caller's stack was deep.
    const stackExhausted = error instanceof RangeError && /call stack/i.test(error.message);
    if (!(error instanceof ComparisonTooComplex || stackExhausted)) throw error;
    const limits = `over ${MAX_COMPARED_PAIRS} sub-schema pairs or ${MAX_NESTING} levels deep`;
    const message = `#: the schemas are too complex to compare (${limits}), so compatibility cannot be shown`;
    return [{ path: '#', change: 'comparison-too-complex', message }];
  }
}

function toSchemaChanges(findings: readonly Finding[]): SchemaChange[] {
  const changes = new Map<string, SchemaChange>();
  const reported = new Set<Finding>();
  for (const finding of findings) {
    // A definition reached along many routes (shared or recursive $refs) is reported once, at
    // the first path that reaches it.
    const origin = finding.origin ?? finding;
    if (reported.has(origin)) continue;
    reported.add(origin);
    const { path, change, text } = finding;
    const message = `${path}: ${text}`;
    changes.set(`${change}\n${message}`, { path, change, message });
  }
  return [...changes.values()];
}
