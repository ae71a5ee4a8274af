/**
 * The console in Debian's Chromium (playwright-core: no browser download). Pages sign in as a demo
 * party in a chosen language, with every request to another host aborted (the console must need
 * nothing from the internet); axe checks accessibility; screenshots go to test-results/screens/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ConsoleLedger } from './ledger.js';

export const chromiumPath = '/usr/bin/chromium';
export const noChromium = !existsSync(chromiumPath);
if (noChromium) {
  console.warn(
    `[console tests] SKIPPED: no Chromium at ${chromiumPath}. Install Debian's: apt-get install -y chromium ` +
      '(.ci/run does it when it can).',
  );
}

export type Language = 'zh' | 'en';
const screensDir = path.resolve(import.meta.dirname, '../../../test-results/screens');

export function launchChromium(): Promise<Browser> {
  // No sandbox: CI runs as root, where Chromium refuses to start with one.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
}

export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** Requests that tried to leave this machine (aborted). */
  external: string[];
  /** Uncaught errors and console.error output of the page. */
  pageErrors: string[];
}

export async function openConsole(
  browser: Browser,
  ledger: ConsoleLedger,
  language: Language,
): Promise<ConsolePage> {
  const context = await browser.newContext({
    locale: language === 'zh' ? 'zh-CN' : 'en-GB',
    viewport: { width: 1366, height: 860 },
    acceptDownloads: true,
  });
  const external: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (
      ['127.0.0.1', 'localhost'].includes(url.hostname) ||
      url.protocol === 'data:' ||
      url.protocol === 'blob:'
    ) {
      return route.continue();
    }
    external.push(url.href);
    return route.abort();
  });
  // Layout shifts not caused by the user's own input, summed as the cumulative layout shift (CLS).
  await context.addInitScript(() => {
    const state = window as unknown as { layoutShift: number };
    state.layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) state.layoutShift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(`${ledger.base}/`);
  return { page, context, external, pageErrors };
}

/** Opens the console and signs in with the demo party's API key, in `language`. */
export async function signIn(
  browser: Browser,
  ledger: ConsoleLedger,
  role: string,
  language: Language,
): Promise<ConsolePage> {
  const opened = await openConsole(browser, ledger, language);
  const { page } = opened;
  const apiKey = ledger.apiKeys[role];
  if (!apiKey) throw new Error(`no demo API key for ${role}`);
  await page.getByRole('button', { name: language === 'zh' ? '中文' : 'English' }).click();
  await page.getByLabel(language === 'zh' ? 'API 密钥' : 'API key').fill(apiKey);
  await page.getByRole('button', { name: language === 'zh' ? '登录' : 'Sign in' }).click();
  await page.getByRole('navigation').waitFor();
  return opened;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: path.join(screensDir, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it stands: no serious or critical violation. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  // Evaluated through the DevTools protocol: the console's CSP (no inline script) stays on.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown[] }> } }
    ).axe;
    return (await axe.run(document)).violations;
  });
  const serious = (violations as AxeViolation[])
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(serious, `axe on ${where}`).toEqual([]);
}

/** A GraphQL request as a demo party, for a test to set up state or to check what the console did. */
export async function graphqlAs<Data = Record<string, unknown>>(
  ledger: ConsoleLedger,
  role: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Data> {
  const response = await fetch(`${ledger.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ledger.apiKeys[role] ?? ''}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
  if (body.errors?.length || !body.data)
    throw new Error(`GraphQL as ${role}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The cumulative layout shift since the page loaded (0.1 or less is "good" by Web Vitals). */
export function layoutShift(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
}
