import { open } from 'node:fs/promises';

/** Makes a created or deleted directory entry durable (a new segment file, a topic directory). */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
