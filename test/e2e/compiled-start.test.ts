/**
 * `npm start` as a fresh clone runs it: the compiled JavaScript (`npm run build` to dist/, no
 * tsx), with no KAFKA_BROKERS (the embedded log) and no GATEWAY_ADMIN_TOKEN (one is generated and
 * printed). The build goes to a directory laid out as the container image is (package.json,
 * dist/, schema/, node_modules/), so a file the compiled code needs at run time and the image
 * lacks fails here.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  platformExample,
  publishFence,
  publishJson,
  TRANSPORTS,
  watchAfter,
} from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe('npm start runs the compiled gateway', () => {
  let app: string;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    app = await mkdtemp(join(tmpdir(), 'streamgate-compiled-'));
    await copyFile(join(root, 'package.json'), join(app, 'package.json'));
    await symlink(join(root, 'schema'), join(app, 'schema'));
    await symlink(join(root, 'node_modules'), join(app, 'node_modules'));
    await run(
      process.execPath,
      [
        join(root, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(root, 'tsconfig.build.json'),
        '--outDir',
        join(app, 'dist'),
      ],
      { cwd: root },
    );
    gateway = await startGatewayProcess({
      adminToken: 'generated',
      launch: { command: 'npm', args: ['start'], cwd: app, processGroup: true },
      // Info, for the line that says the shutdown finished.
      env: { LOG_LEVEL: 'info' },
    });
  }, 240_000);
  afterAll(async () => {
    await gateway?.stop();
    if (app) await rm(app, { recursive: true, force: true });
  });

  test('the build holds only JavaScript and source maps', async () => {
    const files = (await readdir(join(app, 'dist'), { recursive: true })).filter((f) =>
      /\.\w+$/.test(f),
    );
    expect(files).toContain('main.js');
    expect(files.filter((f) => !/\.js(\.map)?$/.test(f))).toEqual([]);
  });

  test('it serves /health, and the token it printed publishes and subscribes', async () => {
    const health = await fetch(`${gateway.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });

    const resourceId = randomUUID();
    const fence = await publishFence(gateway, resourceId);
    const subscriptions = TRANSPORTS.map((transport) =>
      watchAfter(gateway, transport, resourceId, fence, '... on AppCreated { data { name } }'),
    );
    const published = await publishJson(gateway, {
      type: 'app.created',
      data: platformExample('app.created', { name: 'compiled-app' }),
      resourceId,
    });
    for (const subscription of subscriptions) {
      const [event] = await subscription.collect(1);
      expect(event).toMatchObject({ id: published.id, data: { name: 'compiled-app' } });
    }
  });

  test('Ctrl-C (SIGINT to the process group, as a terminal sends it) shuts it down gracefully', async () => {
    await gateway.stop('SIGINT');
    expect(gateway.output()).toMatch(/"msg":"stopped"/);
    await expect(fetch(`${gateway.url}/health`)).rejects.toThrow();
  });
});
