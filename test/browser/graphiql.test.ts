/**
 * GraphiQL in a real browser: a user opens /graphql, puts their token in the Headers tab, runs
 * a subscription, and sees an event published meanwhile appear in the result pane.
 *
 * Needs Debian's chromium (`apt-get install -y chromium`, done by .ci/run) or CHROMIUM_PATH.
 * Without it the test fails saying so: it never skips.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    'runs a subscription and shows an event published meanwhile',
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
      const subscription =
        'subscription Watch { events(streams: ["platform"], filter: { types: ["app.created"] }) { type resourceId } }';
      const response = await page.goto(
        `${gateway.url}/graphql?query=${encodeURIComponent(subscription)}`,
      );
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toContain('text/html');
      await page.locator('.graphiql-execute-button').waitFor({ timeout: 60_000 });

      await setHeaders(page, { Authorization: `Bearer ${token}` });
      await page.locator('.graphiql-execute-button').click();

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
          const match = /graphiql-\d+/.exec(pane);
          return match ? pane : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500, what: 'an event in the GraphiQL result pane' },
      );
      expect(shown).toContain('"type": "app.created"');
      expect(shown).not.toContain('UNAUTHENTICATED');
    },
  );
});

/** Opens the Headers tab and replaces its content, as a user typing it would. */
async function setHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: 'Headers', exact: true }).click();
  const editor = page.locator('section[aria-label="Headers"] .graphiql-editor:not(.hidden)');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText: typed key by key, the editor would close every brace and quote itself.
  await page.keyboard.insertText(JSON.stringify(headers));
}

/** The text of the result pane (the editor renders its lines as DOM). */
async function responsePane(page: Page): Promise<string> {
  return (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');
}
