/**
 * The `streamgate` command (shared/API.md "Command line"), run as a process against a gateway
 * started as a process: piped, and in a pseudo-terminal where what a person sees matters.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonLines,
  plainText,
  runCli,
  startCli,
  startDroppingProxy,
  type CliRun,
} from '../support/cli-process.js';
import { graphqlOk, platformExample, publishJson } from '../support/clients.js';
import { freePort, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { waitFor } from '../support/wait-for.js';

const ORDER_SCHEMA = {
  type: 'object',
  required: ['orderId', 'n'],
  properties: { orderId: { type: 'string' }, n: { type: 'integer' } },
  additionalProperties: false,
};

describe('streamgate', () => {
  let gateway: GatewayProcess;
  let workDir: string;
  const running: CliRun[] = [];
  const cli = (options: { token?: string; url?: string } = {}) => ({
    url: options.url ?? gateway.url,
    token: options.token ?? gateway.adminToken,
  });
  const start = (...args: Parameters<typeof startCli>) => {
    const run = startCli(...args);
    running.push(run);
    return run;
  };
  const publishOrder = (resourceId: string, n: number) =>
    publishJson(gateway, { type: 'order.placed', resourceId, data: { orderId: resourceId, n } });

  beforeAll(async () => {
    gateway = await startGatewayProcess();
    workDir = await mkdtemp(join(tmpdir(), 'streamgate-cli-'));
    await graphqlOk(
      gateway,
      `mutation ($schema: JSON!) {
        createStream(input: { name: "cli-orders", partitions: 3 }) { name }
        registerEventType(input: { type: "order.placed", stream: "cli-orders", schema: $schema }) { type }
      }`,
      { schema: ORDER_SCHEMA },
    );
  });
  afterAll(async () => {
    await Promise.all(running.map((run) => run.interrupt()));
    await gateway?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('npx streamgate runs the package’s command', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const { stdout } = await promisify(execFile)(
      'npx',
      ['--no-install', 'streamgate', '--version'],
      {
        cwd: root,
      },
    );
    expect(stdout.trim()).toBe(version);
    // npx reads the whole installed tree before it runs a bin: 11 s of CPU here, so on a busy
    // machine the default 30 s is not a hang guard but a timing.
  }, 120_000);

  it('tail shows an event published by `streamgate publish`; piped, both print JSON lines', async () => {
    const tail = start(['tail', 'platform', '--type', 'app.*'], cli());
    const resourceId = `app-${randomBytes(4).toString('hex')}`;
    const data = JSON.stringify(platformExample('app.created'));
    // The tail is live once an event published after its start shows up: publish until then.
    const published = await waitFor(
      async () => {
        const run = await runCli(
          ['publish', 'app.created', data, '--resource-id', resourceId],
          cli(),
        );
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const [result] = jsonLines(run.stdout);
        const shown = jsonLines(tail.stdout()).find((event) => event.id === result.id);
        return shown ? result : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the published event in the tail' },
    );
    expect(published).toMatchObject({ type: 'app.created', stream: 'platform' });
    expect(published.cursor).toEqual(expect.any(String));
    const shown = jsonLines(tail.stdout()).find((event) => event.id === published.id);
    expect(shown).toMatchObject({
      type: 'app.created',
      stream: 'platform',
      resourceId,
      cursor: published.cursor,
      payload: { name: 'example-shop' },
    });
    expect(await tail.interrupt()).toBe(0);
  });

  it('a dropped connection resumes right after the last event: no gap, no repeat', async () => {
    const proxy = await startDroppingProxy(gateway.url);
    try {
      const resourceId = `order-${randomBytes(4).toString('hex')}`;
      const tail = start(
        ['tail', 'cli-orders', '--where', `orderId=${resourceId}`],
        cli({ url: proxy.url }),
      );
      const received = () => jsonLines(tail.stdout()).map((event) => event.payload.n as number);
      await waitFor(
        async () => {
          if (received().length > 0) return true;
          await publishOrder(resourceId, 0);
          return false;
        },
        { timeoutMs: 60_000, intervalMs: 300, what: 'the tail to be live' },
      );
      // Events go on being published straight to the gateway while the tail's path drops.
      const total = 30;
      const reconnections = () => tail.stderr().split('reconnected; resuming after').length - 1;
      for (let n = 1; n <= total; n++) {
        await publishOrder(resourceId, n);
        if (n % 10 === 5) {
          // Each drop once the tail is connected again, while events go on.
          const round = Math.floor(n / 10);
          await waitFor(() => reconnections() === round, {
            timeoutMs: 30_000,
            what: `reconnection ${round}`,
          });
          expect(proxy.dropAll()).toBeGreaterThan(0);
        }
      }
      await waitFor(() => received().includes(total), {
        timeoutMs: 60_000,
        what: 'the last event after the drops',
      });
      const after = received().filter((n) => n > 0);
      expect(after).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(tail.stderr()).toMatch(/connection lost/);
      expect(tail.stderr()).toMatch(/reconnected; resuming after/);
      expect(await tail.interrupt()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('on a terminal, tail prints readable coloured lines', async () => {
    const resourceId = `order-${randomBytes(4).toString('hex')}`;
    const tail = start(['tail', 'cli-orders'], { ...cli(), terminalColumns: 120 });
    const line = await waitFor(
      async () => {
        await publishOrder(resourceId, 7);
        return plainText(tail.stdout())
          .split('\n')
          .find((text) => text.includes(resourceId));
      },
      { timeoutMs: 60_000, intervalMs: 300, what: 'the event on the terminal' },
    );
    expect(line).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  order\\.placed  ${resourceId}  cli-orders/\\d@\\d+  \\{"orderId":"${resourceId}","n":7\\}$`,
      ),
    );
    expect(line.length).toBeLessThanOrEqual(120);
    expect(tail.stdout()).toContain('\x1b['); // coloured
    await tail.interrupt();
  });

  it('publish - reads NDJSON: results as JSON lines when piped; progress and a summary on a terminal', async () => {
    const resourceId = `bulk-${randomBytes(4).toString('hex')}`;
    const count = 250;
    const ndjson = Array.from({ length: count }, (_, n) =>
      JSON.stringify({ orderId: resourceId, n }),
    ).join('\n');

    const piped = await runCli(['publish', 'order.placed', '-', '--resource-id', resourceId], {
      ...cli(),
      input: `${ndjson}\n`,
    });
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    const results = jsonLines(piped.stdout);
    expect(results).toHaveLength(count);
    expect(new Set(results.map((r) => r.id)).size).toBe(count);
    // One resource, one partition: its offsets follow each other in input order.
    const offsets = results.map((r) => BigInt(r.offset));
    expect(offsets.every((offset, i) => i === 0 || offset === offsets[i - 1]! + 1n)).toBe(true);

    const file = join(workDir, 'orders.ndjson');
    await writeFile(file, `${ndjson}\n`);
    const onTerminal = start(['publish', 'order.placed', '-', '--resource-id', resourceId], {
      ...cli(),
      stdinFile: file,
      terminalColumns: 120,
    });
    expect(await onTerminal.exited).toBe(0);
    const screen = plainText(onTerminal.stdout());
    expect(screen).toMatch(/published 100 events · \d+% · [\d,]+\/s/);
    expect(screen).toMatch(new RegExp(`published ${count} events of order.placed in [\\d.]+ s`));
  });

  it('errors print the contract code and exit non-zero', async () => {
    const invalid = await runCli(['publish', 'order.placed', '{"orderId": 5, "n": 1}'], cli());
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^VALIDATION_FAILED: /);
    expect(invalid.stderr).toContain('/orderId');
    expect(invalid.stdout).toBe('');

    const badLine = await runCli(['publish', 'order.placed', '-'], {
      ...cli(),
      input: '{"orderId":"a","n":1}\n{"orderId":"a","n":"two"}\n',
    });
    expect(badLine.code).toBe(1);
    expect(badLine.stderr).toMatch(/^VALIDATION_FAILED: line 2: /);

    const unauthenticated = await runCli(['streams'], cli({ token: 'sg_nope_nope' }));
    expect(unauthenticated.code).toBe(1);
    expect(unauthenticated.stderr).toMatch(/^UNAUTHENTICATED: /);

    const unknownType = await runCli(['publish', 'no.such', '{}'], cli());
    expect(unknownType.code).toBe(1);
    expect(unknownType.stderr).toMatch(/^NOT_FOUND: /);

    const unreachable = await runCli(
      ['streams'],
      cli({ url: `http://127.0.0.1:${await freePort()}` }),
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^UNAVAILABLE: cannot reach the gateway/);

    const issued = await runCli(
      ['token', 'issue', '--name', 'orders-only', '--grant', 'cli-orders:subscribe'],
      cli(),
    );
    const [{ token }] = jsonLines(issued.stdout);
    const forbidden = await runCli(['tail', 'platform'], cli({ token }));
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/^FORBIDDEN: /);

    const usage = await runCli(['token', 'issue', '--name', 'x', '--grant', 'platform'], cli());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--grant takes <stream>:<operations>/);
  });

  it('streams, types, token issue and token revoke', async () => {
    const issued = await runCli(
      [
        'token',
        'issue',
        '--name',
        'orders-team',
        '--grant',
        'cli-orders:subscribe,publish:order.*',
        '--expires',
        '2h',
      ],
      cli(),
    );
    expect(issued.code).toBe(0);
    const [token] = jsonLines(issued.stdout);
    expect(token).toMatchObject({
      id: expect.any(String),
      name: 'orders-team',
      token: expect.any(String),
    });

    const streams = await runCli(['streams'], cli({ token: token.token }));
    expect(jsonLines(streams.stdout)).toEqual([
      expect.objectContaining({ name: 'cli-orders', partitions: 3, eventTypes: ['order.placed'] }),
    ]);
    const types = await runCli(['types', 'cli-orders'], cli({ token: token.token }));
    expect(jsonLines(types.stdout)).toEqual([
      expect.objectContaining({
        type: 'order.placed',
        stream: 'cli-orders',
        version: 1,
        graphqlType: 'OrderPlaced',
      }),
    ]);
    const table = start(['streams'], { ...cli(), terminalColumns: 120 });
    expect(await table.exited).toBe(0);
    expect(plainText(table.stdout())).toMatch(
      /^STREAM\s+PARTITIONS\s+RETENTION\s+TYPES\s+DESCRIPTION$/m,
    );
    expect(plainText(table.stdout())).toMatch(/^cli-orders\s+3\s+/m);

    const revoked = await runCli(['token', 'revoke', token.id], cli());
    expect(revoked.code).toBe(0);
    expect(jsonLines(revoked.stdout)).toEqual([{ id: token.id, revoked: true }]);
    const refused = await runCli(['streams'], cli({ token: token.token }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^UNAUTHENTICATED: /);
  });

  it('serve logs readable lines on a terminal and JSON lines when piped', async () => {
    const serveOn = async (terminal: boolean) => {
      const dataDir = await mkdtemp(join(workDir, 'serve-'));
      const port = await freePort();
      const run = start(['serve'], {
        env: {
          PORT: String(port),
          HOST: '127.0.0.1',
          GATEWAY_DATA_DIR: dataDir,
          GATEWAY_ADMIN_TOKEN: gateway.adminToken,
          LOG_LEVEL: 'info',
        },
        ...(terminal ? { terminalColumns: 200 } : {}),
      });
      await waitFor(() => plainText(run.stdout()).includes('Streamgate is serving'), {
        timeoutMs: 60_000,
        what: 'the gateway to log that it serves',
      });
      expect(await run.interrupt()).toBe(0);
      return plainText(run.stdout());
    };
    const screen = await serveOn(true);
    expect(screen).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Streamgate is serving on http:\/\/127\.0\.0\.1:\d+\/graphql/m,
    );
    expect(screen).not.toContain('{"level"');
    const piped = jsonLines(await serveOn(false));
    expect(piped).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: expect.stringMatching(/^Streamgate is serving/),
      }),
    );
  });
});
