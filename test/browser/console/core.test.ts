/**
 * The core enterprise's clerk in the console: reviews an invoice beside its document chain and the
 * ledger's checks, confirms it with the enterprise's own key (signed in the page), and sees what it
 * owes by due week, exported as shown. Once in Chinese and once in English: the demo leaves two
 * invoices waiting for confirmation.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, graphqlAs, launchChromium, noChromium, screenshot, signIn } from './browser.js';

interface Documents {
  documents: { edges: { node: { id: string; documentNumber: string; status: string } }[] };
}

const words = {
  zh: {
    nav: '待确权发票',
    confirm: '确权此发票',
    sign: '签名并提交',
    pass: '通过',
    confirmed: '已确权',
    payables: '应付账款',
  },
  en: {
    nav: 'Invoices to confirm',
    confirm: 'Confirm this invoice',
    sign: 'Sign and submit',
    pass: 'Pass',
    confirmed: 'is confirmed',
    payables: 'Payables',
  },
} as const;

describe.skipIf(noChromium)('the web console: a core enterprise confirms an invoice', () => {
  const ledger = inject('consoleLedger');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function waiting(): Promise<{ id: string; documentNumber: string }[]> {
    const data = await graphqlAs<Documents>(
      ledger,
      'core',
      '{ documents(kind: INVOICE, first: 100) { edges { node { id documentNumber status } } } }',
    );
    return data.documents.edges.map((edge) => edge.node).filter((node) => node.status === 'ISSUED');
  }

  for (const language of ['zh', 'en'] as const) {
    it(`reviews the chain and the checks, signs with its key file, and the invoice is confirmed (${language})`, async () => {
      const word = words[language];
      const before = await waiting();
      expect(before.length).toBeGreaterThan(0);
      const target = before[0] as { id: string; documentNumber: string };
      const { page, context, external, pageErrors } = await signIn(browser, ledger, 'core', language);
      await page.getByRole('link', { name: word.nav }).click();
      // The list holds exactly the invoices the API says wait for confirmation.
      await expect.poll(() => page.getByRole('row').count()).toBe(before.length + 1);
      await page.getByRole('link', { name: new RegExp(target.documentNumber) }).click();
      const chain = page.locator('.chain');
      await chain.getByRole('article').first().waitFor();
      expect(await chain.getByRole('article').count()).toBe(4);
      await expect.poll(() => chain.locator('.badge.pass').count()).toBe(6);
      expect(await chain.locator('.badge.fail').count()).toBe(0);
      await expectAccessible(page, `confirmations (${language})`);
      await screenshot(page, `core-confirmations-${language}`);

      await page.getByRole('button', { name: word.confirm }).click();
      const review = page.getByRole('region', {
        name: language === 'zh' ? '签名前请核对' : 'Review before you sign',
      });
      await review.waitFor();
      expect(await review.textContent()).toContain(target.id);
      const sign = page.getByRole('button', { name: word.sign });
      expect(await sign.isDisabled()).toBe(true);
      if (language === 'en') {
        // Another party's key file is refused before anything is signed.
        await page.locator('#key-file').setInputFiles(ledger.keyFiles.ningbo ?? '');
        await expect
          .poll(() => page.getByRole('alert').first().textContent())
          .toContain('expects your active key');
        expect(await sign.isDisabled()).toBe(true);
      }
      await page.locator('#key-file').setInputFiles(ledger.keyFiles.core ?? '');
      await expect.poll(() => sign.isDisabled()).toBe(false);
      await screenshot(page, `core-sign-${language}`);
      await sign.click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain(word.confirmed);

      const after = await waiting();
      expect(after.map((invoice) => invoice.id)).not.toContain(target.id);
      expect(after.length).toBe(before.length - 1);
      // The receivable exists, owed by the core enterprise, signed with its own key (not custodial).
      const owed = await graphqlAs<{
        receivables: { edges: { node: { invoiceId: string; tier: number } }[] };
        events: { edges: { node: { kind: string; custodial: boolean } }[] };
      }>(
        ledger,
        'core',
        `{ receivables(side: OBLIGOR, first: 100) { edges { node { invoiceId tier } } }
           events(last: 1) { edges { node { kind custodial } } } }`,
      );
      expect(
        owed.receivables.edges.some((edge) => edge.node.invoiceId === target.id && edge.node.tier === 0),
      ).toBe(true);
      expect(owed.events.edges[0]?.node).toEqual({ kind: 'invoice.confirmed', custodial: false });
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    });
  }

  it('shows payables by due week and exports the list as shown', async () => {
    const { page, context } = await signIn(browser, ledger, 'core', 'en');
    await page.getByRole('link', { name: 'Payables' }).click();
    const list = page.getByRole('table', { name: 'Receivables you owe' });
    await list.waitFor();
    const expected = await graphqlAs<{ receivables: { totalCount: number } }>(
      ledger,
      'core',
      '{ receivables(side: OBLIGOR, statuses: [OPEN, OVERDUE, PARTIALLY_SETTLED]) { totalCount } }',
    );
    await expect.poll(() => page.getByText(`${expected.receivables.totalCount} rows`).count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('region', { name: 'Receivables you owe' })
        .getByRole('button', { name: 'Export CSV' })
        .click(),
    ]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Invoice,Held by,Tier,Due date,Status,Outstanding');
    expect(lines.length).toBe(expected.receivables.totalCount + 1);
    expect(download.suggestedFilename()).toBe('payables.csv');
    const [excel] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('region', { name: 'Receivables you owe' })
        .getByRole('button', { name: 'Export Excel' })
        .click(),
    ]);
    // An xlsx is a zip: it starts with "PK".
    expect(
      readFileSync((await excel.path()) ?? '')
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await expectAccessible(page, 'payables (en)');
    await screenshot(page, 'core-payables-en');
    await context.close();
  });

  it('records a payment on an invoice it owes, signed with its key file, allocated across the holders', async () => {
    const owed = async () =>
      (
        await graphqlAs<{ receivables: { edges: { node: { invoiceId: string; outstanding: string } }[] } }>(
          ledger,
          'core',
          '{ receivables(side: OBLIGOR, statuses: [OPEN, OVERDUE, PARTIALLY_SETTLED], first: 100) { edges { node { invoiceId outstanding } } } }',
        )
      ).receivables.edges.map((edge) => edge.node);
    const cents = (value: string) => BigInt(value.replace('.', ''));
    const before = await owed();
    const invoiceId = before[0]?.invoiceId ?? expect.fail('nothing owed');
    const totalOf = (rows: typeof before) =>
      rows
        .filter((row) => row.invoiceId === invoiceId)
        .reduce((sum, row) => sum + cents(row.outstanding), 0n);
    const { page, context, pageErrors } = await signIn(browser, ledger, 'core', 'en');
    await page.getByRole('link', { name: 'Payables' }).click();
    const numbers = await graphqlAs<{
      documents: { edges: { node: { id: string; documentNumber: string } }[] };
    }>(ledger, 'core', '{ documents(kind: INVOICE, first: 100) { edges { node { id documentNumber } } } }');
    const number =
      numbers.documents.edges.find((edge) => edge.node.id === invoiceId)?.node.documentNumber ?? '';
    await page
      .getByRole('button', { name: `Record a payment ${number}` })
      .first()
      .click();
    const amount = page.getByLabel('Amount paid (CNY)');
    for (const bad of ['abc', '0', '-1', '99999999999.00']) {
      await amount.fill(bad);
      expect(await page.getByRole('button', { name: 'Prepare the payment' }).isDisabled(), bad).toBe(true);
    }
    await amount.fill('100.00');
    await page.getByRole('button', { name: 'Prepare the payment' }).click();
    await page.locator('#key-file').setInputFiles(ledger.keyFiles.core ?? '');
    await page.getByRole('button', { name: 'Sign and submit' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Payment recorded');
    // Exactly 100.00 less is owed on that invoice, whoever held its parts.
    expect(totalOf(await owed())).toBe(totalOf(before) - 10000n);
    await expectAccessible(page, 'payment (en)');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
