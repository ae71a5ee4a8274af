/**
 * GraphiQL in a real browser, with the internet out of reach: the server as `npm start` runs it,
 * Debian's Chromium driven by playwright-core. Every request to a host other than this machine is
 * aborted and recorded; the page must still load, run a query and show its answer.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../support/server-process.js';

const chromiumPath = '/usr/bin/chromium';
const noChromium = !existsSync(chromiumPath);
if (noChromium) {
  console.warn(
    `[browser tests] SKIPPED: no Chromium at ${chromiumPath}. Install Debian's: apt-get install -y chromium ` +
      '(.ci/run does it when it can).',
  );
}

function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

describe.skipIf(noChromium)('GraphiQL in Chromium, offline', () => {
  const database = useTestDatabase();
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerProcess({
      DATABASE_URL: database.ownerUrl,
      APP_DATABASE_URL: database.appUrl,
      CUSTODY_KEY: randomBytes(32).toString('hex'),
      ADMIN_API_KEY: `tp_${randomBytes(32).toString('base64url')}`,
    });
    // No sandbox: CI runs as root, where Chromium refuses to start with one.
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await stopServerProcess(server);
  });

  it('loads nothing from the internet, runs a query and shows its answer', async () => {
    const answer = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ logVerifierKey }' }),
    });
    const verifierKey = ((await answer.json()) as { data: { logVerifierKey: string } }).data.logVerifierKey;
    expect(verifierKey).toMatch(/\+/);

    const context = await browser.newContext();
    const outside = new Set<string>();
    const local: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (isLoopback(url)) {
        local.push(url.pathname);
        return route.continue();
      }
      outside.add(url.href);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    // Requests a route might not see (workers), and script errors, are recorded too.
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (/^https?:$/.test(url.protocol) && !isLoopback(url)) outside.add(url.href);
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    try {
      await page.goto(server.url);
      const run = page.locator('.graphiql-execute-button');
      await run.waitFor({ timeout: 30_000 });
      const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
      await editor.waitFor();
      await editor.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      // insertText, not typing: Monaco would close the brace as it is typed.
      await page.keyboard.insertText('{ logVerifierKey }');
      await run.click();

      // The result pane is an editor too: it wraps the long key over two lines, hence no whitespace.
      const result = page.locator('section[aria-label="Result Window"]');
      const shown = async () => (await result.textContent())?.replace(/\s/g, '');
      await expect.poll(shown, { timeout: 30_000 }).toContain(`{"data":{"logVerifierKey":"${verifierKey}"}}`);
    } catch (error) {
      // A page stuck at "Loading…" times out above; say what it tried to reach.
      throw new Error(
        `${(error as Error).message}\nrequests to other hosts: ${[...outside].join(', ') || 'none'}\npage errors: ${errors.join('; ') || 'none'}`,
      );
    }
    await context.close();

    // Every request the page made; the unit test (test/graphql/graphiql.test.ts) also checks each URL
    // in the page itself, the icon's included, which Chromium may fetch outside the page's network.
    expect([...outside]).toEqual([]);
    expect(errors).toEqual([]);
    // What the page did load came from this server: the page, GraphiQL's files, the API.
    expect(local).toContain('/graphql');
    expect(local.some((path) => /^\/graphiql\/assets\/yoga-graphiql\.[0-9a-f]+\.js$/.test(path))).toBe(true);
    expect(local.some((path) => /^\/graphiql\/assets\/graphiql\.[0-9a-f]+\.css$/.test(path))).toBe(true);
  });
});
