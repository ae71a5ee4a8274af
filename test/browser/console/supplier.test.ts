/**
 * A supplier's finance manager in the console: filters its receivables, opens one, sees its lineage,
 * and passes part of it to its own supplier (a custodial party: the platform signs on submit). Bad
 * amounts are refused in the form before anything is prepared.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, graphqlAs, launchChromium, noChromium, screenshot, signIn } from './browser.js';
import { demoNames } from './ledger.js';

interface Held {
  id: string;
  invoiceId: string;
  outstanding: string;
  status: string;
  financing: { id: string } | null;
}

const words = {
  zh: {
    nav: '应收账款',
    status: '状态',
    open: '未到期',
    pass: '将一部分转让给贵方的供应商',
    to: '转让给',
    amount: '金额',
    prepare: '生成转让声明',
    submit: '提交',
    done: '已将',
  },
  en: {
    nav: 'Receivables',
    status: 'Status',
    open: 'Open',
    pass: 'Pass part of it to your supplier',
    to: 'To',
    amount: 'Amount',
    prepare: 'Prepare the transfer',
    submit: 'Submit',
    done: 'Passed',
  },
} as const;

describe.skipIf(noChromium)('the web console: a supplier splits a receivable and passes a part on', () => {
  const ledger = inject('consoleLedger');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function held(role: string, status?: string): Promise<Held[]> {
    const data = await graphqlAs<{ receivables: { edges: { node: Held }[] } }>(
      ledger,
      role,
      `query($status: ReceivableStatus) { receivables(side: HOLDER, first: 100, status: $status) {
        edges { node { id invoiceId outstanding status financing { id } } } } }`,
      status ? { status } : {},
    );
    return data.receivables.edges.map((edge) => edge.node);
  }

  for (const language of ['zh', 'en'] as const) {
    it(`filters, opens a receivable and passes 1000.00 of it to Wuxi (${language})`, async () => {
      const word = words[language];
      const all = await held('suzhou');
      const open = await held('suzhou', 'OPEN');
      expect(open.length).toBeLessThan(all.length + 1);
      const { page, context, external, pageErrors } = await signIn(browser, ledger, 'suzhou', language);
      await page.getByRole('link', { name: word.nav, exact: true }).click();
      const rows = page.getByRole('table').getByRole('row');
      await expect.poll(() => rows.count()).toBe(all.length + 1);
      await page.getByLabel(word.status).selectOption({ label: word.open });
      await expect.poll(() => rows.count()).toBe(open.length + 1);
      await expectAccessible(page, `receivables (${language})`);
      if (language === 'en') {
        // A filter that leaves nothing says so, and the empty list is still a sound table.
        await page.getByLabel(word.status).selectOption({ label: 'Defaulted' });
        await page.getByText('Nothing to show.').waitFor();
        await expectAccessible(page, 'receivables, none left by the filter (en)');
        await page.getByLabel(word.status).selectOption({ label: word.open });
        await expect.poll(() => rows.count()).toBe(open.length + 1);
      }
      await screenshot(page, `supplier-receivables-${language}`);

      // One that 1000.00 can come out of: other files may have financed some of Suzhou's paper.
      const cents = (value: string) => BigInt(value.replace('.', ''));
      const target = open.find(
        (receivable) => receivable.financing === null && cents(receivable.outstanding) >= 100000n,
      ) as Held;
      expect(target, JSON.stringify(open)).toBeDefined();
      await page.goto(`${ledger.base}/#/receivables/${target.id}`);
      if (language === 'en') {
        // The receivable's proof bundle, saved as the file npm run verify (and the verify page) checks.
        const [saved] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: 'Download proof bundle' }).click(),
        ]);
        expect(saved.suggestedFilename()).toBe(`proof-bundle-${target.id}.json`);
        const bundle = JSON.parse(readFileSync((await saved.path()) ?? '', 'utf8')) as { format: string };
        expect(bundle.format).toBe('tradeproof-proof-bundle/v2');
      }
      const lineage = page.getByRole('table').last();
      await expect.poll(() => lineage.getByRole('row').count()).toBeGreaterThan(1);
      const partsBefore = await lineage.getByRole('row').count();
      await page.getByRole('button', { name: word.pass }).click();
      const wuxiId = (await graphqlAs<{ me: { id: string } }>(ledger, 'wuxi', '{ me { id } }')).me.id;
      const to = page.getByLabel(word.to, { exact: true });
      await expect
        .poll(() => to.locator('option').allTextContents())
        .toContainEqual(expect.stringContaining(demoNames.wuxi));
      await to.selectOption(wuxiId);
      const amount = page.getByLabel(`${word.amount} (CNY)`);
      const prepare = page.getByRole('button', { name: word.prepare });
      for (const bad of ['abc', '-5', '0', '1.001', '99999999999.00']) {
        await amount.fill(bad);
        expect(await prepare.isDisabled(), bad).toBe(true);
      }
      await amount.fill('1000.00');
      await prepare.click();
      await page.getByRole('button', { name: word.submit, exact: true }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain(word.done);
      // The page shows the new numbers at once: 1000.00 less outstanding, a tier-1 part in the lineage.
      await expect.poll(() => lineage.getByRole('row').count()).toBe(partsBefore + 1);
      await expectAccessible(page, `receivable detail (${language})`);
      await screenshot(page, `supplier-transfer-${language}`);

      const [after] = (await held('suzhou')).filter((receivable) => receivable.id === target.id);
      expect(cents(after?.outstanding ?? '0')).toBe(cents(target.outstanding) - 100000n);
      const wuxi = await held('wuxi');
      expect(
        wuxi.some(
          (receivable) => receivable.invoiceId === target.invoiceId && receivable.outstanding === '1000.00',
        ),
      ).toBe(true);
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    });
  }
});
