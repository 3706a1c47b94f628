import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import {
  KafkaSetupError,
  KafkaSetupErrorCode,
  lastErrorLine,
  lastLines,
} from './kafka-setup-error.js';

const run = promisify(execFile);

/**
 * Formats an empty KRaft log folder for a new cluster, as `kafka-storage.sh format` does.
 * `storageToolCommand` is the JVM options and the StorageTool class, ready to run.
 */
export async function formatStorage(input: {
  readonly java: string;
  readonly storageToolCommand: readonly string[];
  readonly propertiesFile: string;
  readonly dataDir: string;
  readonly cwd: string;
  /** The nodes of one cluster share its id. @default a new random id */
  readonly clusterId?: string;
}): Promise<void> {
  await rm(input.dataDir, { recursive: true, force: true });
  await mkdir(input.dataDir);
  try {
    await run(
      input.java,
      [
        ...input.storageToolCommand,
        'format',
        `--cluster-id=${input.clusterId ?? newClusterId()}`,
        '--config',
        input.propertiesFile,
      ],
      { cwd: input.cwd, timeout: 120_000 },
    );
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const output = `${stdout}\n${stderr}`;
    throw new KafkaSetupError(
      KafkaSetupErrorCode.FormatFailed,
      `formatting the Kafka log folder failed: ${lastErrorLine(output) || (error as Error).message}`,
      { details: lastLines(output, 30), cause: error },
    );
  }
}

/** A KRaft cluster id: 16 random bytes, base64url; never starting with '-' (read as a flag). */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
