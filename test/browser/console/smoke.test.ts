/**
 * The console as a newcomer meets it: served at / beside /graphql, nothing loaded from the internet,
 * sign-in refusing a wrong key and keeping a good one in sessionStorage only, navigation by role.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expectAccessible,
  launchChromium,
  layoutShift,
  noChromium,
  openConsole,
  screenshot,
  signIn,
} from './browser.js';

describe.skipIf(noChromium)('the web console: sign-in and navigation', () => {
  const ledger = inject('consoleLedger');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('serves the console at / with a content security policy, beside /graphql', async () => {
    const page = await fetch(`${ledger.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
  });

  for (const language of ['zh', 'en'] as const) {
    it(`refuses a wrong API key with the ledger's reason (${language})`, async () => {
      const { page, context, external, pageErrors } = await openConsole(browser, ledger, language);
      await page.getByRole('button', { name: language === 'zh' ? '中文' : 'English' }).click();
      await page
        .getByLabel(language === 'zh' ? 'API 密钥' : 'API key')
        .fill('tp_not-a-key-at-all-000000000000000000');
      await page.getByRole('button', { name: language === 'zh' ? '登录' : 'Sign in' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain(language === 'zh' ? '账本拒绝了此密钥' : 'The ledger refused this key');
      await expectAccessible(page, `sign-in (${language})`);
      await screenshot(page, `sign-in-${language}`);
      expect(external).toEqual([]);
      // The browser reports the refused request (HTTP 401) itself; nothing else may go wrong.
      expect(pageErrors.filter((error) => !error.includes('status of 401'))).toEqual([]);
      await context.close();
    });
  }

  it('keeps the API key in sessionStorage only, and shows each role its own screens', async () => {
    const { page, context, external, pageErrors } = await signIn(browser, ledger, 'core', 'en');
    const nav = page.getByRole('navigation');
    await expect.poll(() => nav.getByRole('link').allTextContents()).toContain('Invoices to confirm');
    expect(await nav.getByRole('link').allTextContents()).not.toContain('Receivables');
    const stored = await page.evaluate(() => ({
      session: Object.keys(sessionStorage),
      local: Object.entries(localStorage).map(([key, value]) => `${key}=${value}`),
    }));
    expect(stored.session).toContain('tradeproof.apiKey');
    expect(stored.local.join('\n')).not.toContain('tp_');
    // A reload in the same tab keeps the session; signing out forgets the key.
    await page.reload();
    await page.getByRole('navigation').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('tradeproof.apiKey'))).toBeNull();
    expect(external).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();

    const supplier = await signIn(browser, ledger, 'jiangyin', 'zh');
    await expect
      .poll(() => supplier.page.getByRole('navigation').getByRole('link').allTextContents())
      .toContain('应收账款');
    await supplier.context.close();
  });

  it('remembers the language per party', async () => {
    const first = await signIn(browser, ledger, 'wuxi', 'en');
    await first.page.getByRole('button', { name: '中文' }).click();
    await first.page.getByRole('button', { name: '退出登录' }).click();
    // Signed out, the sign-in page stays in the language last chosen.
    await first.page
      .getByLabel('API 密钥')
      .waitFor()
      .catch(async (error: Error) => {
        await screenshot(first.page, 'debug-sign-out');
        throw new Error(
          `${error.message}\n${await first.page.locator('body').textContent()}\n${first.pageErrors.join('\n')}`,
        );
      });
    await first.page.getByRole('button', { name: 'English' }).click();
    await first.page.getByLabel('API key').fill(ledger.apiKeys.wuxi ?? '');
    await first.page.getByRole('button', { name: 'Sign in' }).click();
    // Wuxi chose Chinese: it comes back in Chinese although the sign-in page was in English.
    await expect.poll(() => first.page.getByRole('button', { name: '退出登录' }).count()).toBe(1);
    await first.context.close();
  });

  it('does not jump while its screens load (cumulative layout shift at most 0.1 per screen)', async () => {
    for (const role of ['core', 'suzhou', 'lender', 'auditor']) {
      const { page, context } = await signIn(browser, ledger, role, 'en');
      const links = await page.getByRole('navigation').getByRole('link').all();
      const paths = await Promise.all(links.map((link) => link.getAttribute('href')));
      for (const path of paths) {
        await page.goto(`${ledger.base}/${path ?? ''}`);
        await page.reload();
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(300);
        const shift = await layoutShift(page);
        console.log(`[layout shift] ${role} ${path}: ${shift.toFixed(4)}`);
        expect(shift, `${role} ${path}`).toBeLessThanOrEqual(0.1);
      }
      await context.close();
    }
  });
});
