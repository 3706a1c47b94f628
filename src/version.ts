import { createRequire } from 'node:module';

/**
 * The package's version, from package.json: one level above this file both in src/ and in the
 * compiled dist/.
 */
export const VERSION: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
