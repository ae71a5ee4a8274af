/**
 * Lists of 10,000 rows stay fast because only the rows in view are in the page. The receivables
 * screen is fed 10,000 receivables (100 pages of 100, served in place of the ledger's answer to that
 * one query: the demo holds a few dozen), and the test counts what the browser holds and can reach.
 */
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, noChromium, screenshot, signIn } from './browser.js';

const total = 10_000;
const pageSize = 100;

function receivable(index: number) {
  const day = String((index % 28) + 1).padStart(2, '0');
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    tier: index % 4,
    face: `${1000 + index}.00`,
    outstanding: `${1000 + index}.00`,
    currency: 'CNY',
    dueDate: `2027-03-${day}`,
    status: 'OPEN',
    onHold: false,
    obligor: { id: '00000000-0000-4000-8000-0000000000ff', legalName: `Obligor ${index}` },
    invoiceSummary: { seller: { legalName: 'Seller' } },
  };
}

async function serveTenThousand(route: Route): Promise<void> {
  const body = route.request().postDataJSON() as { query?: string; variables?: { after?: string | null } };
  if (!body.query?.includes('query HeldReceivables')) return route.continue();
  const start = body.variables?.after ? Number(body.variables.after) : 0;
  const end = Math.min(start + pageSize, total);
  const edges = Array.from({ length: end - start }, (_, offset) => ({ node: receivable(start + offset) }));
  await route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({
      data: {
        receivables: {
          totalCount: total,
          edges,
          pageInfo: { endCursor: String(end), hasNextPage: end < total },
        },
      },
    }),
  });
}

describe.skipIf(noChromium)('the web console: a list of 10,000 rows', () => {
  const ledger = inject('consoleLedger');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('counts all 10,000, keeps fewer than 100 rows in the page, and scrolls to the last', async () => {
    const { page, context } = await signIn(browser, ledger, 'jiangyin', 'en');
    await page.route('**/graphql', serveTenThousand);
    await page.getByRole('link', { name: 'Receivables', exact: true }).click();
    const table = page.getByRole('table', { name: 'Receivables' });
    await expect.poll(() => page.getByText('10,000 rows').count(), { timeout: 60_000 }).toBe(1);
    expect(await table.getAttribute('aria-rowcount')).toBe(String(total + 1));
    const rendered = await table.getByRole('row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);
    await table.locator('.grid-body').evaluate((body) => {
      body.scrollTop = body.scrollHeight;
    });
    await expect.poll(() => table.getByText('Obligor 9999', { exact: true }).count()).toBe(1);
    expect(await table.getByRole('row').count()).toBeLessThan(100);
    await screenshot(page, 'virtual-list-10000-en');
    await context.close();
  });
});
