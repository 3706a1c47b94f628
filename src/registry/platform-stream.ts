import { readdir, readFile } from 'node:fs/promises';
import type { EventLog } from '../log/event-log.js';
import type { Registry } from './registry.js';
import { createStream, registerEventType } from './registry-commands.js';

/** The built-in stream of the platform's resource changes, and where its schemas live. */
export const platformStream = {
  /** @default 'platform' */
  name: 'platform',
  /** @default 6 */
  partitions: 6,
  /** @default 'schema/platform' in the repository */
  schemaDir: new URL('../../schema/platform/', import.meta.url),
} as const;

/**
 * Creates the `platform` stream and registers the event types of schema/platform/*.json that the
 * registry does not have yet. Safe to run on several instances at once: log order settles it.
 */
export async function ensurePlatformStream(registry: Registry, log: EventLog): Promise<void> {
  if (!registry.state.streams.has(platformStream.name)) {
    await createStream(
      registry,
      log,
      {
        name: platformStream.name,
        partitions: platformStream.partitions,
        description: 'Every change to a platform resource: apps, releases, builds, dynos, add-ons…',
      },
      'streamgate',
    );
  }
  const files = (await readdir(platformStream.schemaDir)).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const type = file.slice(0, -'.json'.length);
    if (registry.state.eventTypes.has(type)) continue;
    const schema: unknown = JSON.parse(
      await readFile(new URL(file, platformStream.schemaDir), 'utf8'),
    );
    const description =
      typeof schema === 'object' && schema !== null
        ? (schema as { description?: unknown }).description
        : undefined;
    await registerEventType(
      registry,
      {
        type,
        stream: platformStream.name,
        schema,
        description: typeof description === 'string' ? description : null,
      },
      'streamgate',
    );
  }
}
