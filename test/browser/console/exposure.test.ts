/**
 * The exposure screen as its users meet it: the core enterprise sees who is exposed to it (upstream),
 * in the picture and in the table, with the numbers the API itself answers; it runs a stress test
 * with a loss given default of 0.5 and sees the losses; a supplier sees what it is exposed to
 * (downstream). Both languages, axe, screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible, launchChromium, noChromium, screenshot, signIn } from './browser.js';
import { buildNetwork, type Network } from './exposure-network.js';
import { demoNames } from './ledger.js';

interface ExposureRow {
  party: { id: string; legalName: string };
  depth: number;
  directClaim: string;
  claimOnPreviousDepth: string;
}

interface StressRow {
  party: { id: string; legalName: string };
  loss: string;
  lossShare: { numerator: string; denominator: string };
}

/** Digits and the decimal point of an amount as shown ("CNY 20,000.00" -> "20000.00"), without trailing zeros. */
function plain(text: string): string {
  const digits = text.replace(/[^\d.]/g, '');
  return digits.includes('.') ? digits.replace(/0+$/, '').replace(/\.$/, '') : digits;
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

const exposureQuery = `query ($partyId: UUID!, $direction: ExposureDirection!) {
  exposure(partyId: $partyId, direction: $direction, maxDepth: 4, currency: "CNY") {
    __typename
    ... on Exposure { parties(first: 100) { edges { node {
      party { id legalName } depth directClaim claimOnPreviousDepth } } } }
    ... on DomainError { code message }
  }
}`;

const stressQuery = `query ($obligorId: UUID!) {
  stressTest(obligorId: $obligorId, lossGivenDefault: "0.5", maxDepth: 4, currency: "CNY") {
    __typename
    ... on StressTest { totalLoss parties(first: 100) { edges { node {
      party { id legalName } loss lossShare { numerator denominator } } } } }
    ... on DomainError { code message }
  }
}`;

async function exposureOf(base: string, apiKey: string, direction: string): Promise<ExposureRow[]> {
  const me = await api<{ me: { id: string } }>(base, apiKey, '{ me { id } }');
  const answer = await api<{
    exposure: { __typename: string; parties: { edges: { node: ExposureRow }[] } };
  }>(base, apiKey, exposureQuery, { partyId: me.me.id, direction });
  if (answer.exposure.__typename !== 'Exposure') throw new Error(JSON.stringify(answer.exposure));
  return answer.exposure.parties.edges.map((edge) => edge.node);
}

/** The data table's rows as shown: each row's cells' text, by header. */
async function tableRows(page: Page, label: string): Promise<Record<string, string>[]> {
  return page.evaluate((tableLabel) => {
    const table = document.querySelector(`[role="table"][aria-label="${tableLabel}"]`);
    if (!table) return [];
    const headers = [...table.querySelectorAll('[role="columnheader"]')].map(
      (cell) => cell.textContent ?? '',
    );
    return [
      ...table.querySelectorAll('[role="rowgroup"].grid-body [role="row"]:not([data-placeholder])'),
    ].map((row) =>
      Object.fromEntries(
        [...row.querySelectorAll('[role="cell"]')].map((cell, index) => [
          headers[index],
          cell.textContent ?? '',
        ]),
      ),
    );
  }, label);
}

async function chartText(page: Page): Promise<string> {
  const chart = page.getByTestId('exposure-chart');
  await chart.locator('svg').first().waitFor();
  return (await chart.locator('svg').first().textContent()) ?? '';
}

const words = {
  en: {
    nav: 'Exposure',
    table: 'Parties reached',
    party: 'Party',
    depth: 'Depth',
    direct: 'Direct claim',
    previous: 'Claims on previous depth',
    loss: 'Loss',
    share: 'Loss share',
    upstream: 'Upstream: who is exposed to the party',
    downstream: 'Downstream: what the party is exposed to',
    lgd: 'Loss given default',
    run: 'Run stress test',
    totals: 'Totals per depth',
  },
  zh: {
    nav: '风险敞口',
    table: '涉及的参与方',
    party: '参与方',
    depth: '层级',
    direct: '直接债权',
    previous: '对上一层的债权',
    loss: '损失',
    share: '损失比例',
    upstream: '上游：谁对该参与方有敞口',
    downstream: '下游：该参与方对谁有敞口',
    lgd: '违约损失率',
    run: '运行压力测试',
    totals: '各层级合计',
  },
} as const;

describe.skipIf(noChromium)('the web console: exposure', () => {
  const ledger = inject('consoleLedger');
  let browser: Browser;
  let upstream: ExposureRow[];
  let downstream: ExposureRow[];
  let network: Network;
  beforeAll(async () => {
    browser = await launchChromium();
    network = await buildNetwork(ledger.base, ledger.apiKeys.admin ?? '');
    upstream = await exposureOf(ledger.base, ledger.apiKeys.core ?? '', 'UPSTREAM');
    downstream = await exposureOf(ledger.base, ledger.apiKeys.jiangyin ?? '', 'DOWNSTREAM');
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const language of ['zh', 'en'] as const) {
    const w = words[language];
    it(`shows the core enterprise who is exposed to it, picture and table as the API answers (${language})`, async () => {
      expect(upstream.length).toBeGreaterThan(0);
      const { page, context, external, pageErrors } = await signIn(browser, ledger, 'core', language);
      await page.getByRole('navigation').getByRole('link', { name: w.nav }).click();
      await expect.poll(() => page.getByRole('radio', { name: w.upstream }).isChecked()).toBe(true);
      await expect.poll(() => chartText(page), { timeout: 20_000 }).toContain(demoNames.core);
      // The suppliers are in the picture, by name.
      const text = await chartText(page);
      for (const supplier of [demoNames.ningbo, demoNames.suzhou, demoNames.jiangyin]) {
        expect(text).toContain(supplier);
      }
      expect(text).toContain(demoNames.core);
      // The picture has its label for screen readers.
      const label = await page.getByTestId('exposure-chart').getAttribute('aria-label');
      expect(label).toContain(demoNames.core);
      expect(label).toContain(String(upstream.length));

      // The table: one row per party, with the API's own numbers.
      await expect.poll(async () => (await tableRows(page, w.table)).length).toBe(upstream.length);
      const shown = await tableRows(page, w.table);
      for (const row of upstream) {
        const match = shown.find((candidate) => candidate[w.party] === row.party.legalName);
        expect(match, row.party.legalName).toBeDefined();
        expect(match?.[w.depth]).toBe(String(row.depth));
        expect(plain(match?.[w.direct] ?? '')).toBe(plain(row.directClaim));
        expect(plain(match?.[w.previous] ?? '')).toBe(plain(row.claimOnPreviousDepth));
      }
      // Totals per depth: the demo's suppliers all hold paper on the core enterprise itself, depth 1.
      await expect.poll(async () => (await tableRows(page, w.totals))[0]?.[w.depth]).toBe('1');
      await expectAccessible(page, `exposure upstream (${language})`);
      await screenshot(page, `exposure-upstream-${language}`);
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    });
  }

  it('runs a stress test with LGD 0.5: losses on the picture and in the table (en)', async () => {
    const me = await api<{ me: { id: string } }>(ledger.base, ledger.apiKeys.core ?? '', '{ me { id } }');
    const answer = await api<{
      stressTest: { __typename: string; totalLoss: string; parties: { edges: { node: StressRow }[] } };
    }>(ledger.base, ledger.apiKeys.core ?? '', stressQuery, { obligorId: me.me.id });
    expect(answer.stressTest.__typename).toBe('StressTest');
    const losses = answer.stressTest.parties.edges.map((edge) => edge.node);
    expect(losses.length).toBeGreaterThan(0);

    const w = words.en;
    const { page, context, pageErrors } = await signIn(browser, ledger, 'core', 'en');
    await page.evaluate(() => {
      window.location.hash = '#/exposure';
    });
    await expect.poll(async () => (await tableRows(page, w.table)).length).toBe(upstream.length);

    // A value outside 0..1 is refused before it reaches the ledger.
    const lgd = page.getByLabel(w.lgd, { exact: true });
    await lgd.fill('1.5');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('from 0 to 1');
    expect(await page.getByRole('button', { name: w.run }).isDisabled()).toBe(true);
    await lgd.fill('0.5');
    // The slider follows the typed value.
    expect(await page.getByLabel('Loss given default (slider)').inputValue()).toBe('0.5');
    await page.getByRole('button', { name: w.run }).click();

    await expect.poll(() => page.getByTestId('stress-total').textContent()).toContain('Total loss');
    const total = (await page.getByTestId('stress-total').textContent()) ?? '';
    expect(plain(total.split('(')[0] ?? '')).toBe(plain(answer.stressTest.totalLoss));
    // The legend explains the colours; the table has each party's loss and share.
    expect(await page.getByRole('heading', { name: 'Loss share (stress test)' }).isVisible()).toBe(true);
    const shown = await tableRows(page, w.table);
    for (const loss of losses) {
      const match = shown.find((candidate) => candidate[w.party] === loss.party.legalName);
      expect(match, loss.party.legalName).toBeDefined();
      expect(plain(match?.[w.loss] ?? '')).toBe(plain(loss.loss));
      expect(match?.[w.share]).toMatch(/^\d+\.\d\d %$/);
    }
    expect(shown.some((row) => plain(row[w.loss] ?? '') !== '0')).toBe(true);
    // The picture's labels carry the share too (colour is not the only signal).
    expect(await chartText(page)).toMatch(/\d+\.\d\d %/);
    await expectAccessible(page, 'exposure stress (en)');
    await screenshot(page, 'exposure-stress-en');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  for (const language of ['zh', 'en'] as const) {
    const w = words[language];
    it(`shows a supplier what it is exposed to, downstream (${language})`, async () => {
      expect(downstream.length).toBeGreaterThan(0);
      const { page, context, pageErrors } = await signIn(browser, ledger, 'jiangyin', language);
      await page.getByRole('navigation').getByRole('link', { name: w.nav }).click();
      await expect.poll(() => page.getByRole('radio', { name: w.downstream }).isChecked()).toBe(true);
      await expect.poll(async () => (await tableRows(page, w.table)).length).toBe(downstream.length);
      const shown = await tableRows(page, w.table);
      for (const row of downstream) {
        const match = shown.find((candidate) => candidate[w.party] === row.party.legalName);
        expect(match?.[w.depth]).toBe(String(row.depth));
        expect(plain(match?.[w.previous] ?? '')).toBe(plain(row.claimOnPreviousDepth));
      }
      const text = await chartText(page);
      expect(text).toContain(demoNames.core);
      expect(text).toContain(demoNames.jiangyin);
      // A supplier asks about itself only: no party picker beyond its own name.
      expect(
        await page.getByLabel(language === 'zh' ? '参与方' : 'Party', { exact: true }).inputValue(),
      ).toContain(demoNames.jiangyin);
      await expectAccessible(page, `exposure downstream (${language})`);
      await screenshot(page, `exposure-downstream-${language}`);
      expect(pageErrors).toEqual([]);
      await context.close();
    });
  }

  it('lets an auditor choose another party', async () => {
    const { page, context, pageErrors } = await signIn(browser, ledger, 'auditor', 'en');
    await page.evaluate(() => {
      window.location.hash = '#/exposure';
    });
    const picker = page.getByLabel('Party', { exact: true });
    await expect
      .poll(async () =>
        (await picker.locator('option').allTextContents()).some((name) => name.startsWith(demoNames.core)),
      )
      .toBe(true);
    const coreValue = await picker
      .locator('option', { hasText: demoNames.core })
      .first()
      .getAttribute('value');
    await picker.selectOption(coreValue ?? '');
    await expect.poll(async () => (await tableRows(page, words.en.table)).length).toBe(upstream.length);
    expect(await chartText(page)).toContain(demoNames.ningbo);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('draws deeper depths left to right, each claim to the party it is owed by (en)', async () => {
    const { a, b, c } = network;
    const expected = await exposureOf(ledger.base, a.apiKey, 'UPSTREAM');
    expect(expected.map((row) => [row.party.legalName, row.depth])).toEqual([
      [b.name, 1],
      [c.name, 2],
    ]);
    const own = { ...ledger, apiKeys: { ...ledger.apiKeys, taihu: a.apiKey } };
    const { page, context, pageErrors } = await signIn(browser, own, 'taihu', 'en');
    await page.evaluate(() => {
      window.location.hash = '#/exposure';
    });
    await expect.poll(async () => (await tableRows(page, words.en.table)).length).toBe(2);
    const shown = await tableRows(page, words.en.table);
    expect(shown.map((row) => [row.Party, row.Depth])).toEqual([
      [b.name, '1'],
      [c.name, '2'],
    ]);
    expect(plain(shown[0]?.['Claims on previous depth'] ?? '')).toBe(plain(network.bOnA));
    expect(plain(shown[1]?.['Claims on previous depth'] ?? '')).toBe(plain(network.cOnB));
    expect(plain(shown[1]?.['Direct claim'] ?? '')).toBe('0');
    // In the picture: A on the left, B in the middle, C on the right.
    const chart = page.getByTestId('exposure-chart');
    await expect.poll(() => chartText(page)).toContain(c.name);
    const xOf = async (name: string) =>
      chart
        .locator('svg text', { hasText: name })
        .first()
        .evaluate((node) => node.getBoundingClientRect().left);
    const [ax, bx, cx] = [await xOf(a.name), await xOf(b.name), await xOf(c.name)];
    expect(ax).toBeLessThan(bx);
    expect(bx).toBeLessThan(cx);
    // Totals per depth, and the words for screen readers.
    const totals = await tableRows(page, 'Totals per depth');
    expect(totals.map((row) => [row.Depth, row.Parties])).toEqual([
      ['1', '1'],
      ['2', '1'],
    ]);
    await page.getByText('The picture in words').click();
    // C's link goes to B, the party it holds claims on, with the amount of those claims.
    const summary = (await page.getByTestId('exposure-summary').textContent()) ?? '';
    expect(summary).toContain(`Depth 2: ${c.name}`);
    const onB = summary.split(`on ${b.name}: `)[1]?.split(/;|Depth/)[0] ?? '';
    expect(onB, summary).not.toBe('');
    expect(plain(onB)).toBe(plain(network.cOnB));
    await expectAccessible(page, 'exposure depths (en)');
    await screenshot(page, 'exposure-depths-en');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
