/**
 * The auditor's console: the event explorer and one event in full, the log state checked against
 * the pinned log key, and a receivable's proof bundle saved from the ledger and verified in the
 * browser (valid), then a copy with one amount changed (rejected, with the failed check shown).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateKeyPair, toHex } from '../../../services/crypto/index.js';
import { encodeVerifierKey } from '../../../services/crypto/signed-note.js';
import { cosignCheckpoint } from '../../../services/ledger/checkpoint.js';
import { expectAccessible, launchChromium, noChromium, screenshot, signIn } from './browser.js';

const words = {
  en: {
    events: 'Events',
    log: 'Log state',
    verify: 'Verify a bundle',
    explorer: 'Event explorer',
    kind: 'Kind',
    open: /^Open event/,
    signatureOk: 'The checkpoint’s signature verifies with the pinned log key',
    treeSize: 'Tree size',
    choose: 'Choose a bundle file',
    valid: 'VALID: every check passed',
    invalid: 'INVALID:',
    proven: 'Proven at this checkpoint',
    fetch: 'Get a bundle from the ledger',
    receivableId: 'Receivable id',
    download: 'Download proof bundle',
    statement: 'Statement',
    cosignatureOk: 'verifies with your witness key',
  },
  zh: {
    events: '事件',
    log: '日志状态',
    verify: '验证证明包',
    explorer: '事件浏览',
    kind: '类型',
    open: /^查看叶序号/,
    signatureOk: '检查点签名可用固定的日志公钥验证通过',
    treeSize: '树大小',
    choose: '选择证明包文件',
    valid: '有效：全部检查通过',
    invalid: '无效：',
    proven: '在此检查点上得到证明的状态',
    fetch: '从账本获取证明包',
    receivableId: '应收账款 ID',
    download: '下载证明包',
    statement: '声明内容',
    cosignatureOk: '可用本方见证密钥验证通过',
  },
} as const;

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

/**
 * The auditor registers a witness and cosigns the latest checkpoint with it, as `npm run witness`
 * does (after its consistency check, which a fresh witness has nothing to check against).
 */
async function cosignLatest(base: string, apiKey: string): Promise<string> {
  const witness = generateKeyPair();
  const name = `audit-witness-${toHex(witness.publicKey).slice(0, 8)}`;
  const registered = await api<{ registerWitness: { witness?: { id: string }; message?: string } }>(
    base,
    apiKey,
    `mutation ($name: String!, $publicKey: HexBytes!, $key: String!) {
       registerWitness(name: $name, publicKey: $publicKey, idempotencyKey: $key) {
         __typename ... on WitnessPayload { witness { id } } ... on DomainError { message } } }`,
    { name, publicKey: toHex(witness.publicKey), key: `auditor-test-${name}` },
  );
  const witnessId = registered.registerWitness.witness?.id;
  if (!witnessId) throw new Error(`no witness: ${registered.registerWitness.message}`);
  // The registration is an event: cosign the checkpoint that holds it, once it is anchored.
  let latest: { checkpoint: { note: string; treeSize: number }; events: { totalCount: number } };
  for (let attempt = 0; ; attempt++) {
    latest = await api(
      base,
      apiKey,
      'query { checkpoint { ... on Checkpoint { note treeSize } } events(first: 1) { totalCount } }',
    );
    if (latest.checkpoint.treeSize >= latest.events.totalCount) break;
    if (attempt > 50) throw new Error('the witness registration was not anchored in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const cosigned = cosignCheckpoint(
    latest.checkpoint.note,
    name,
    witness.privateKey,
    Math.floor(Date.now() / 1000),
  );
  const line = cosigned.slice(0, -1).split('\n').pop() ?? '';
  const answer = await api<{ cosignCheckpoint: { __typename: string; message?: string } }>(
    base,
    apiKey,
    `mutation ($witnessId: UUID!, $treeSize: Int!, $cosignature: String!) {
       cosignCheckpoint(witnessId: $witnessId, treeSize: $treeSize, cosignature: $cosignature) {
         __typename ... on DomainError { message } } }`,
    { witnessId, treeSize: latest.checkpoint.treeSize, cosignature: line },
  );
  if (answer.cosignCheckpoint.__typename !== 'CosignaturePayload') {
    throw new Error(`cosignature refused: ${answer.cosignCheckpoint.message}`);
  }
  return name;
}

/** The bundle with one amount in one statement changed: its hash no longer matches. */
function tamperedCopy(json: string): { text: string; eventKind: string } {
  const bundle = JSON.parse(json) as { events: { kind: string; statement: string | null }[] };
  for (const event of bundle.events) {
    const match = event.statement && /"amount":"(\d+)/.exec(event.statement);
    if (event.statement && match?.[1]) {
      const digits = match[1];
      const changed = `${digits.slice(0, -1)}${digits.endsWith('9') ? '8' : '9'}`;
      event.statement = event.statement.replace(`"amount":"${digits}`, `"amount":"${changed}`);
      return { text: JSON.stringify(bundle, null, 2), eventKind: event.kind };
    }
  }
  throw new Error('no statement with an amount in the bundle');
}

describe.skipIf(noChromium)('the web console: auditor screens and the bundle verifier', () => {
  const ledger = inject('consoleLedger');
  let browser: Browser;
  let folder: string;
  let receivableId: string;
  let bundleFile: string;
  let tamperedFile: string;
  let tamperedKind: string;
  let witnessName: string;

  beforeAll(async () => {
    browser = await launchChromium();
    folder = mkdtempSync(path.join(tmpdir(), 'tradeproof-auditor-'));
    // A receivable of the tier-3 supplier, and its bundle as the auditor (who may read any) gets it.
    const held = await api<{ receivables: { edges: { node: { id: string } }[] } }>(
      ledger.base,
      ledger.apiKeys.jiangyin ?? '',
      'query { receivables(side: HOLDER, first: 5) { edges { node { id } } } }',
    );
    const first = held.receivables.edges[0]?.node.id;
    if (!first) throw new Error('the demo gave Jiangyin no receivable');
    receivableId = first;
    const answer = await api<{ proofBundle: { __typename: string; json?: string; message?: string } }>(
      ledger.base,
      ledger.apiKeys.auditor ?? '',
      `query ($id: UUID!) { proofBundle(receivableId: $id) {
         __typename ... on ProofBundle { json } ... on DomainError { message } } }`,
      { id: receivableId },
    );
    if (!answer.proofBundle.json) throw new Error(`no bundle: ${answer.proofBundle.message}`);
    bundleFile = path.join(folder, 'bundle.json');
    writeFileSync(bundleFile, answer.proofBundle.json);
    const tampered = tamperedCopy(answer.proofBundle.json);
    tamperedFile = path.join(folder, 'bundle-tampered.json');
    tamperedKind = tampered.eventKind;
    writeFileSync(tamperedFile, tampered.text);
    witnessName = await cosignLatest(ledger.base, ledger.apiKeys.auditor ?? '');
  });
  afterAll(async () => {
    await browser?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  for (const language of ['en', 'zh'] as const) {
    const w = words[language];

    it(`explores the events and opens one in full (${language})`, async () => {
      const { page, context, external, pageErrors } = await signIn(browser, ledger, 'auditor', language);
      const nav = page.getByRole('navigation');
      await expect.poll(() => nav.getByRole('link').allTextContents()).toContain(w.events);
      expect(await nav.getByRole('link').allTextContents()).toEqual(
        expect.arrayContaining([w.events, w.log, w.verify]),
      );
      await nav.getByRole('link', { name: w.events, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: w.explorer }).waitFor();
      const links = page.getByRole('link', { name: w.open });
      await expect.poll(() => links.count()).toBeGreaterThan(5);
      // Filter by a kind every demo has: only that kind remains.
      await page.getByLabel(w.kind).selectOption('invoice.confirmed');
      await expect
        .poll(async () => [...new Set(await page.getByRole('row').locator('a').allTextContents())])
        .toEqual(['invoice.confirmed']);
      await expectAccessible(page, `event explorer (${language})`);
      await screenshot(page, `auditor-events-${language}`);

      await links.first().click();
      await page.getByRole('heading', { level: 2, name: w.statement }).waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('invoice.confirmed');
      expect(await page.getByTestId('event-signature').textContent()).toMatch(/^[0-9a-f]{128}$/);
      expect(await page.getByTestId('event-key-id').textContent()).toMatch(/^[0-9a-f]{64}$/);
      expect(await page.getByRole('cell', { name: 'kind', exact: true }).count()).toBe(1);
      expect(await page.getByRole('cell', { name: 'payload.amount', exact: true }).count()).toBe(1);
      await expectAccessible(page, `event detail (${language})`);
      await screenshot(page, `auditor-event-${language}`);
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    });

    it(`shows the log state checked against the pinned key (${language})`, async () => {
      const { page, context, external, pageErrors } = await signIn(browser, ledger, 'auditor', language);
      await page.getByRole('navigation').getByRole('link', { name: w.log, exact: true }).click();
      await expect.poll(() => page.getByRole('status').allTextContents()).toContain(w.signatureOk);
      expect(Number((await page.getByTestId('tree-size').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(
        10,
      );
      const logKey = await page.evaluate(() => sessionStorage.getItem('tradeproof.logKey'));
      expect(logKey).toMatch(/^[^+]+\+[0-9a-f]{8}\+/);
      expect(await page.getByText(logKey ?? '', { exact: true }).count()).toBe(1);
      // The auditor's own witness cosigned it: its cosignature is checked with the witness's key.
      const row = page.getByRole('row').filter({ hasText: witnessName });
      await expect.poll(() => row.count()).toBeGreaterThan(0);
      expect(await row.first().textContent()).toContain(w.cosignatureOk);
      expect(await page.getByRole('cell', { name: witnessName, exact: true }).count()).toBeGreaterThan(0);
      await expectAccessible(page, `log state (${language})`);
      await screenshot(page, `auditor-log-${language}`);
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    });

    it(`verifies a saved bundle in the browser and rejects a tampered copy (${language})`, async () => {
      const { page, context, external, pageErrors } = await signIn(browser, ledger, 'auditor', language);
      await page.getByRole('navigation').getByRole('link', { name: w.verify, exact: true }).click();
      await page.getByTestId('pinned-log-key').waitFor();

      // The download button saves what the ledger gives: the same bundle the API gave.
      await page.getByText(w.fetch).click();
      await page.getByLabel(w.receivableId).fill(receivableId);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: w.download }).click(),
      ]);
      const saved = path.join(folder, `downloaded-${language}.json`);
      await download.saveAs(saved);
      expect(download.suggestedFilename()).toBe(`proof-bundle-${receivableId}.json`);
      const savedBundle = JSON.parse(readFileSync(saved, 'utf8')) as { format: string; receivableId: string };
      expect(savedBundle.format).toBe('tradeproof-proof-bundle/v2');
      expect(savedBundle.receivableId).toBe(receivableId);

      // From here on the ledger is not asked anything: the checks run on the file, in a worker.
      const workers: string[] = [];
      page.on('worker', (worker) => workers.push(worker.url()));
      let asked = 0;
      page.on('request', (request) => {
        if (request.url().includes('/graphql')) asked++;
      });
      await page.getByLabel(w.choose).setInputFiles(saved);
      await expect.poll(() => page.getByRole('status').allTextContents()).toContain(w.valid);
      await page.getByRole('heading', { name: w.proven }).waitFor();
      expect(await page.getByText(receivableId, { exact: true }).count()).toBeGreaterThan(0);
      const checks = await page.locator('.checklist li').allTextContents();
      expect(checks.some((line) => line.includes('inclusion path leads to the checkpoint root'))).toBe(true);
      expect(checks.some((line) => line.includes('chain: all'))).toBe(true);
      await expectAccessible(page, `bundle verified (${language})`);
      await screenshot(page, `auditor-verify-valid-${language}`);

      await page.getByLabel(w.choose).setInputFiles(tamperedFile);
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain(w.invalid);
      const reason = (await alert.textContent()) ?? '';
      expect(reason).toContain(tamperedKind);
      expect(reason).toContain('statement does not hash to eventHash');
      expect(await page.getByRole('heading', { name: w.proven }).count()).toBe(0);
      await expectAccessible(page, `bundle rejected (${language})`);
      await screenshot(page, `auditor-verify-tampered-${language}`);
      expect(asked).toBe(0);
      expect(workers).toHaveLength(2);
      expect(workers[0]).toMatch(/\/assets\/verify-worker-[\w-]+\.js$/);
      expect(external).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    });
  }

  it('shows a supplier its own events, and verifies a bundle dropped on the drop zone', async () => {
    const { page, context } = await signIn(browser, ledger, 'jiangyin', 'en');
    await page.getByRole('navigation').getByRole('link', { name: 'Events', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Your events' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: /^Open event/ }).count()).toBeGreaterThan(0);
    const shown = await page.getByText(/^\d+ of \d+ events loaded/).textContent();
    const [, total] = /of (\d+)/.exec(shown ?? '') ?? [];
    const all = await api<{ events: { totalCount: number } }>(
      ledger.base,
      ledger.apiKeys.auditor ?? '',
      'query { events(first: 1) { totalCount } }',
    );
    // Its own events only: fewer than the log holds.
    expect(Number(total)).toBeLessThan(all.events.totalCount);
    await page.getByRole('navigation').getByRole('link', { name: 'Verify a bundle', exact: true }).click();
    const zone = page.getByRole('region', { name: 'Drop a proof bundle (.json) here' });
    await zone.waitFor();
    const text = readFileSync(bundleFile, 'utf8');
    const transfer = await page.evaluateHandle((content) => {
      const data = new DataTransfer();
      data.items.add(new File([content], 'dropped.json', { type: 'application/json' }));
      return data;
    }, text);
    await zone.dispatchEvent('drop', { dataTransfer: transfer });
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContain('VALID: every check passed');
    expect(await page.getByRole('heading', { name: 'Checks of dropped.json' }).count()).toBe(1);
    await context.close();
  });

  it('trusts the key pinned at sign-in, not the server: under another key the same bundle fails', async () => {
    const { page, context, pageErrors } = await signIn(browser, ledger, 'auditor', 'en');
    const pinned = (await page.evaluate(() => sessionStorage.getItem('tradeproof.logKey'))) ?? '';
    // As if the session had pinned another log's key (same name, another key).
    const otherKey = encodeVerifierKey(pinned.split('+')[0] ?? '', generateKeyPair().publicKey);
    await page.evaluate((key) => sessionStorage.setItem('tradeproof.logKey', key), otherKey);
    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: 'Log state', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toEqual([expect.stringContaining('The checkpoint does not verify with the pinned log key')]);
    await page.getByRole('navigation').getByRole('link', { name: 'Verify a bundle', exact: true }).click();
    expect(await page.getByTestId('pinned-log-key').textContent()).toBe(otherKey);
    await page.getByLabel('Choose a bundle file').setInputFiles(bundleFile);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('INVALID: checkpoint:');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
