#!/usr/bin/env node
// The `streamgate` command. It runs the compiled CLI in dist/ (`npm run build`); in a checkout
// where nothing is built yet, the TypeScript sources through tsx, so that `npx streamgate` works
// right after `npm ci`.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
