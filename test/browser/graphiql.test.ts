/**
 * GraphiQL in a real browser, as a newcomer meets it: on a fresh start they open /graphql, enter
 * their token once when the page asks, and the schema loads with it; they run the README's
 * subscription and see an event published meanwhile appear in the result pane. A reload
 * remembers the token. On failure, screenshots of the first screen and of the last are written
 * to the test's output directory and named in the error.
 *
 * Needs Debian's chromium (`apt-get install -y chromium`, done by .ci/run) or CHROMIUM_PATH.
 * Without it the test fails saying so: it never skips.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { graphqlOk, platformExample, publishJson } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { waitFor } from '../support/wait-for.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Flags for a quiet, reproducible headless run in a container (no sandbox: CI runs as root). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('GraphiQL in a browser', () => {
  let gateway: GatewayProcess;
  let token: string;
  let browser: BrowserContext | undefined;
  let userDataDir: string | undefined;

  beforeAll(async () => {
    gateway = await startGatewayProcess();
    const issued = await graphqlOk(
      gateway,
      'mutation($input: IssueTokenInput!) { issueToken(input: $input) { token } }',
      {
        input: {
          name: 'graphiql-user',
          grants: [{ stream: 'platform', operations: ['PUBLISH', 'SUBSCRIBE'] }],
        },
      },
    );
    token = issued.issueToken.token;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await gateway?.stop();
  });

  test(
    'on a fresh start: asks for the token once, loads the schema, runs the README subscription',
    { timeout: 120_000 },
    async () => {
      // In the test itself, not a hook: a missing browser fails this test by name.
      if (!existsSync(CHROMIUM)) {
        throw new Error(
          `Chromium is not installed at ${CHROMIUM}: install it with \`apt-get install -y chromium\` ` +
            '(.ci/run does) or set CHROMIUM_PATH to a Chromium or Chrome binary',
        );
      }
      userDataDir = await mkdtemp(join(tmpdir(), 'streamgate-chromium-'));
      // A persistent context is how Playwright takes a user data directory of our choosing.
      browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_FLAGS,
      });
      const page = await browser.newPage();
      const screenshots = new Map<string, Buffer>();
      try {
        await firstMinute(page, screenshots);
      } catch (error) {
        screenshots.set(
          'last-screen',
          await page.screenshot({ fullPage: true }).catch(() => Buffer.alloc(0)),
        );
        const dir = join(root, 'test-results', 'graphiql');
        await mkdir(dir, { recursive: true });
        const files: string[] = [];
        for (const [name, png] of screenshots) {
          const file = join(dir, `${name}.png`);
          await writeFile(file, png);
          files.push(file);
        }
        throw new Error(`${(error as Error).message}\nScreenshots: ${files.join(', ')}`, {
          cause: error,
        });
      }
    },
  );

  /**
   * Clicks GraphiQL's execute button until the subscription runs (the button turns into
   * "Stop query"): on a busy machine a click while GraphiQL is still settling can go unheard,
   * and a newcomer would simply click again.
   */
  async function startSubscription(page: Page): Promise<void> {
    const button = page.locator('.graphiql-execute-button');
    const running = async () =>
      ((await button.getAttribute('aria-label')) ?? '').startsWith('Stop');
    await waitFor(
      async () => {
        if (await running()) return true;
        await button.click();
        await page.waitForTimeout(2000);
        return running();
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'the subscription to run in GraphiQL' },
    );
  }

  /** What a newcomer does in their first minute. */
  async function firstMinute(page: Page, screenshots: Map<string, Buffer>): Promise<void> {
    const response = await page.goto(`${gateway.url}/graphql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');

    // The first screen asks for the token, rather than showing an error.
    const tokenInput = page.getByLabel('Token', { exact: true });
    await tokenInput.waitFor({ timeout: 60_000 });
    screenshots.set('first-screen', await page.screenshot({ fullPage: true }));
    await tokenInput.fill('sg_not_a_real_token');
    await page.getByRole('button', { name: 'Open GraphiQL' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('UNAUTHENTICATED');
    await tokenInput.fill(token);
    await page.getByRole('button', { name: 'Open GraphiQL' }).click();

    // GraphiQL starts with the token: the schema loads (the docs know the event types).
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByText('Token: graphiql-user').count()).toBe(1);
    await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
    await page.getByText('Subscription', { exact: true }).first().waitFor({ timeout: 30_000 });

    await setQuery(page, readmeSubscription());
    await startSubscription(page);
    // Publish until one arrives: the subscription starts at `latest`, so only what is
    // published once it is live can show up.
    const shown = await waitFor(
      async () => {
        const marker = `graphiql-${Date.now()}`;
        await publishJson(
          gateway,
          { type: 'app.created', data: platformExample('app.created'), resourceId: marker },
          token,
        );
        const pane = await responsePane(page);
        return /graphiql-\d+/.test(pane) ? pane : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'an event in the GraphiQL result pane' },
    );
    expect(shown).toContain('"type": "app.created"');
    expect(shown).toContain('"name": "example-shop"');
    expect(shown).not.toContain('UNAUTHENTICATED');

    // The browser remembers the token: a reload goes straight to GraphiQL.
    await page.reload();
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByText('Token: graphiql-user').count()).toBe(1);
    expect(await page.getByLabel('Token', { exact: true }).count()).toBe(0);
  }
});

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The subscription of the README's walk-through: the test runs what a newcomer copies. */
function readmeSubscription(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)]
    .map((match) => match[1]!.replace(/^ {3}/gm, ''))
    .find((text) => text.trimStart().startsWith('subscription'));
  if (!block) throw new Error('README.md has no ```graphql block with a subscription');
  return block;
}

/** Replaces the operation in the query editor, as a user pasting it would. */
async function setQuery(page: Page, query: string): Promise<void> {
  const editor = page
    .locator('.graphiql-query-editor .graphiql-editor, .graphiql-query-editor')
    .first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // On one line: on each new line the editor would indent and close braces by itself.
  await page.keyboard.insertText(query.replace(/\s+/g, ' ').trim());
}

/** The text of the result pane (the editor renders its lines as DOM). */
async function responsePane(page: Page): Promise<string> {
  return (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');
}
