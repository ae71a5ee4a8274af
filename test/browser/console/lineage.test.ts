/**
 * The lineage picture of a receivable (web/src/charts/lineage-chart.tsx) on its own address,
 * #/lineage/<receivableId>, hidden from the navigation: a tier-2 supplier's part, drawn from the
 * confirmed root to every part, the requested one highlighted. Both languages, axe, screenshots.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, launchChromium, noChromium, screenshot, signIn } from './browser.js';
import { demoNames } from './ledger.js';

interface Part {
  id: string;
  parentId: string | null;
  tier: number;
  holder: { legalName: string };
}

async function api<T>(base: string, apiKey: string, query: string, variables: object = {}): Promise<T> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

describe.skipIf(noChromium)('the web console: receivable lineage', () => {
  const ledger = inject('consoleLedger');
  let browser: Browser;
  let requested: Part;
  let lineage: { ancestors: Part[]; receivable: Part; descendants: Part[] };
  beforeAll(async () => {
    browser = await launchChromium();
    const apiKey = ledger.apiKeys.changzhou ?? '';
    // Changzhou holds open parts passed on from tier-1 suppliers, and passed parts of them on (to
    // Jiangyin, and to the lender that financed it): ancestors and descendants.
    const held = await api<{ receivables: { edges: { node: Part }[] } }>(
      ledger.base,
      apiKey,
      `{ receivables(side: HOLDER, statuses: [OPEN], first: 100) { edges { node { id parentId tier holder { legalName } } } } }`,
    );
    const parts = held.receivables.edges.map((edge) => edge.node);
    const chosen = parts.find((part) => part.tier >= 1) ?? parts[0];
    if (!chosen) throw new Error('the demo left Changzhou no open receivable');
    requested = chosen;
    const answer = await api<{
      receivableLineage: { __typename: string; ancestors: Part[]; receivable: Part; descendants: Part[] };
    }>(
      ledger.base,
      apiKey,
      `query ($id: UUID!) { receivableLineage(id: $id) { __typename ... on ReceivableLineage {
        ancestors { id parentId tier holder { legalName } }
        receivable { id parentId tier holder { legalName } }
        descendants { id parentId tier holder { legalName } } } } }`,
      { id: requested.id },
    );
    expect(answer.receivableLineage.__typename).toBe('ReceivableLineage');
    lineage = answer.receivableLineage;
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const language of ['zh', 'en'] as const) {
    it(`draws the tree from the confirmed root to every part, the requested one highlighted (${language})`, async () => {
      const { page, context, external, pageErrors } = await signIn(browser, ledger, 'changzhou', language);
      // Reached by its address only: not in the navigation.
      expect(await page.getByRole('navigation').getByRole('link').allTextContents()).not.toContain(
        language === 'zh' ? '应收账款链路' : 'Receivable lineage',
      );
      await page.evaluate((id) => {
        window.location.hash = `#/lineage/${id}`;
      }, requested.id);
      const chart = page.getByTestId('lineage-chart');
      await expect
        .poll(async () => (await chart.locator('svg').first().textContent()) ?? '', { timeout: 20_000 })
        .toContain(demoNames.changzhou);
      const text = (await chart.locator('svg').first().textContent()) ?? '';
      const all = [...lineage.ancestors, lineage.receivable, ...lineage.descendants];
      // The confirmed root's holder (Ningbo, the tier-1 supplier) and every part's holder are drawn.
      expect(lineage.ancestors[0]?.tier ?? lineage.receivable.tier).toBe(0);
      for (const part of all) expect(text).toContain(part.holder.legalName.slice(0, 20));
      // Tiers are on the nodes, in the reader's language.
      expect(text).toContain(language === 'zh' ? '第 0 级' : 'Tier 0');
      // The text alternative lists every part, the requested one marked.
      const summary = page.getByTestId('lineage-summary');
      expect(await summary.locator('li').count()).toBe(all.length);
      expect(await summary.locator('strong').textContent()).toContain(
        language === 'zh' ? '所查询的应收账款' : 'the requested receivable',
      );
      expect(await chart.getAttribute('aria-label')).toContain(String(all.length));
      await expectAccessible(page, `lineage (${language})`);
      await screenshot(page, `lineage-${language}`);
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    });
  }
});
