import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LogError, LogErrorCode } from '../event-log.js';
import { readTextIfPresent } from './read-if-present.js';
import type { TopicSpec } from '../event-log.js';

export const METADATA_FILE = 'topic.json';
/** Kafka's own limit on partitions is far higher; a single-node file log has no use for more. */
const MAX_PARTITIONS = 1024;

/** Kafka's legal topic names, which are also safe directory names. */
const topicName = z
  .string()
  .regex(/^[a-zA-Z0-9._-]{1,249}$/, 'use 1 to 249 of a-z A-Z 0-9 . _ -')
  .refine((name) => name !== '.' && name !== '..', 'may not be "." or ".."');

const topicMetadata = z.object({
  name: topicName,
  partitions: z.number().int().min(1).max(MAX_PARTITIONS),
  retentionMs: z.number().int().min(-1),
  compacted: z.boolean(),
});

/** What a topic directory's topic.json holds. */
export type TopicMetadata = z.infer<typeof topicMetadata>;

/** The metadata of a spec with the port's defaults applied; a LogError names what is wrong. */
export function parseTopicSpec(spec: TopicSpec): TopicMetadata {
  const result = topicMetadata.safeParse({
    name: spec.name,
    partitions: spec.partitions ?? 1,
    retentionMs: spec.retentionMs ?? -1,
    compacted: spec.compacted ?? false,
  });
  if (!result.success) {
    throw new LogError(
      LogErrorCode.Internal,
      `invalid topic ${JSON.stringify(spec.name)}: ${describe(result.error)}`,
    );
  }
  return result.data;
}

/** The metadata in `dir`, or undefined when the file is absent (a creation cut short). */
export async function readTopicMetadata(dir: string): Promise<TopicMetadata | undefined> {
  const path = join(dir, METADATA_FILE);
  const text = await readTextIfPresent(path);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new LogError(LogErrorCode.Internal, `${path} is not JSON`, { cause });
  }
  const result = topicMetadata.safeParse(json);
  if (!result.success)
    throw new LogError(LogErrorCode.Internal, `${path}: ${describe(result.error)}`);
  return result.data;
}

/** Writes through a temporary file and a rename, so a crash leaves the old file or the new. */
export async function writeTopicMetadata(
  dir: string,
  metadata: TopicMetadata,
  sync: boolean,
): Promise<void> {
  const path = join(dir, METADATA_FILE);
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(metadata, null, 2)}\n`, { flush: sync });
  await rename(temporary, path);
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`)
    .join('; ');
}
