import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFingerprint } from '../../services/receivables/fingerprint-check.service.js';
import '../../services/receivables/index.js';
import { invoiceFingerprint, parseFingerprintInput } from '../../services/trade/invoice-fingerprint.js';
import { type TestLedger, type TestParty, useTestLedger } from '../support/ledger.js';
import { runScript } from '../support/script-run.js';
import { invoicePayload, recordChain, recorded } from '../trade/trade-fixtures.js';
import { insertFinancing } from './financing-by-sql.js';
import { transfer } from './support.js';

const t: TestLedger = useTestLedger();
const key = Buffer.alloc(32, 0x5a);
const lines = [{ itemCode: 'W1', quantity: '10', unitPrice: '12.50' }];

let buyer: TestParty;
let seller: TestParty;
let lender: TestParty;
let auditor: TestParty;

/** An invoice issued and confirmed: its payload, its fingerprint's input and its root receivable. */
async function confirmedInvoice() {
  const chain = await recordChain(t, buyer, seller, lines);
  const payload = invoicePayload(chain, lines, '125.00');
  await recorded(t, seller, 'invoice.issued', payload);
  const receivableId = randomUUID();
  await recorded(t, buyer, 'invoice.confirmed', { invoiceId: payload.documentId, receivableId });
  const input = {
    ...payload,
    sellerRegistrationId: seller.party.registrationId,
    buyerRegistrationId: buyer.party.registrationId,
  };
  return { payload, input, receivableId };
}

async function storedFingerprint(invoiceId: unknown): Promise<string | undefined> {
  const row = await t.owner.db
    .selectFrom('invoice_fingerprint')
    .select('fingerprint')
    .where('invoice_id', '=', String(invoiceId))
    .executeTakeFirst();
  return row?.fingerprint;
}

function fingerprintOf(input: unknown): string {
  const parsed = parseFingerprintInput(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return invoiceFingerprint(key, parsed.value);
}

beforeAll(async () => {
  t.ledger.fingerprintKey = key;
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  seller = await t.newParty(['supplier'], { custodial: true });
  // A lender that can also hold a transferred part: the financing below is written by SQL.
  lender = await t.newParty(['lender', 'supplier'], { custodial: true });
  auditor = await t.newParty(['auditor']);
});

describe('invoice fingerprints', () => {
  it('records the fingerprint of an invoice when its buyer confirms it, and none before', async () => {
    const chain = await recordChain(t, buyer, seller, lines);
    const payload = invoicePayload(chain, lines, '125.00');
    await recorded(t, seller, 'invoice.issued', payload);
    expect(await storedFingerprint(payload.documentId)).toBeUndefined();
    await recorded(t, buyer, 'invoice.confirmed', {
      invoiceId: payload.documentId,
      receivableId: randomUUID(),
    });
    const input = {
      ...payload,
      sellerRegistrationId: seller.party.registrationId,
      buyerRegistrationId: buyer.party.registrationId,
    };
    expect(await storedFingerprint(payload.documentId)).toBe(fingerprintOf(input));
  });

  it('answers confirmed, then financed once a financing on a part of its tree is disbursed', async () => {
    const { input, receivableId } = await confirmedInvoice();
    const fingerprint = fingerprintOf(input);
    expect(await checkFingerprint(t.ledger, lender.actor, fingerprint)).toEqual({
      ok: true,
      value: { confirmed: true, financed: false },
    });
    const child = await transfer(t, seller, receivableId, lender, '50.00');
    await insertFinancing(t, {
      receivableId,
      lenderPartyId: lender.party.id,
      amountMinor: 5000n,
      status: 'accepted',
    });
    expect(await checkFingerprint(t.ledger, lender.actor, fingerprint)).toMatchObject({
      value: { financed: false },
    });
    await insertFinancing(t, {
      receivableId,
      lenderPartyId: lender.party.id,
      amountMinor: 5000n,
      status: 'disbursed',
      childReceivableId: child,
    });
    expect(await checkFingerprint(t.ledger, lender.actor, fingerprint)).toEqual({
      ok: true,
      value: { confirmed: true, financed: true },
    });
  });

  it('knows nothing of a fingerprint it never recorded', async () => {
    expect(await checkFingerprint(t.ledger, auditor.actor, 'ab'.repeat(32))).toEqual({
      ok: true,
      value: { confirmed: false, financed: false },
    });
  });

  it.each([
    ['a lender', () => lender, true],
    ['an auditor', () => auditor, true],
    ['a supplier', () => seller, false],
    ['a core enterprise', () => buyer, false],
  ])('lets %s ask through GraphQL: %s', async (_name, party, allowed) => {
    const answer = await t.gql(
      `query ($f: String!) { checkFingerprint(fingerprint: $f) {
        __typename ... on FingerprintCheck { confirmed financed } ... on DomainError { code } } }`,
      { f: 'cd'.repeat(32) },
      party().apiKey,
    );
    expect(answer.data.checkFingerprint).toEqual(
      allowed
        ? { __typename: 'FingerprintCheck', confirmed: false, financed: false }
        : { __typename: 'DomainError', code: 'FORBIDDEN' },
    );
  });

  it('lets a platform administrator ask', async () => {
    const answer = await t.gql(`{ checkFingerprint(fingerprint: "${'ef'.repeat(32)}") { __typename } }`);
    expect(answer.data.checkFingerprint).toEqual({ __typename: 'FingerprintCheck' });
  });

  it.each(['', 'ab'.repeat(31), 'xy'.repeat(32)])(
    'refuses the fingerprint %j as INVALID_INPUT',
    async (text) => {
      const answer = await t.gql(
        'query ($f: String!) { checkFingerprint(fingerprint: $f) { ... on DomainError { code field } } }',
        { f: text },
        lender.apiKey,
      );
      expect(answer.data.checkFingerprint).toEqual({ code: 'INVALID_INPUT', field: 'fingerprint' });
    },
  );

  it('answers FINGERPRINT_NOT_CONFIGURED on a ledger without a key', async () => {
    const unkeyed = { ...t.ledger, fingerprintKey: undefined };
    expect(await checkFingerprint(unkeyed, lender.actor, 'ab'.repeat(32))).toMatchObject({
      ok: false,
      code: 'fingerprint_not_configured',
    });
  });
});

// Each case starts tsx processes (five at once below): seconds each on a loaded 2-core machine.
describe('npm run fingerprint', { timeout: 90_000 }, () => {
  const script = 'scripts/fingerprint.ts';
  const env = { FINGERPRINT_KEY: key.toString('hex') };

  it('computes offline the fingerprint the server recorded', async () => {
    const { payload, input } = await confirmedInvoice();
    const file = path.join(tmpdir(), `invoice-${randomUUID()}.json`);
    await writeFile(file, JSON.stringify(input));
    const run = await runScript(script, [file], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim()).toBe(await storedFingerprint(payload.documentId));
    const keyFile = path.join(tmpdir(), `fingerprint-${randomUUID()}.key`);
    await writeFile(keyFile, `${key.toString('base64')}\n`);
    const fromFile = await runScript(script, [file, '--key-file', keyFile], { FINGERPRINT_KEY: '' });
    expect(fromFile.stdout).toBe(run.stdout);
  });

  it('says what is wrong: no key, a bad key, a missing field, a file that is not JSON or not there', async () => {
    const good = path.join(tmpdir(), `invoice-${randomUUID()}.json`);
    const invoice = {
      sellerRegistrationId: seller.party.registrationId,
      buyerRegistrationId: buyer.party.registrationId,
      taxInvoiceCode: '044031900111',
      taxInvoiceNumber: '1',
      total: '1.00',
      currency: 'CNY',
      issueDate: '2025-03-10',
    };
    await writeFile(good, JSON.stringify(invoice));
    const missing = path.join(tmpdir(), `invoice-${randomUUID()}.json`);
    await writeFile(missing, JSON.stringify({ ...invoice, taxInvoiceNumber: undefined }));
    const notJson = path.join(tmpdir(), `invoice-${randomUUID()}.json`);
    await writeFile(notJson, '{ not json');
    const runs = await Promise.all([
      runScript(script, [good], { FINGERPRINT_KEY: '' }),
      runScript(script, [good], { FINGERPRINT_KEY: 'ab'.repeat(8) }),
      runScript(script, [missing], env),
      runScript(script, [notJson], env),
      runScript(script, [path.join(tmpdir(), 'no-such-invoice.json')], env),
    ]);
    expect(runs.map((run) => run.code)).toEqual([1, 1, 1, 1, 2]);
    expect(runs[0]?.stderr).toContain('set FINGERPRINT_KEY');
    expect(runs[1]?.stderr).toContain('FINGERPRINT_KEY must hold at least 32 bytes');
    expect(runs[2]?.stderr).toContain('taxInvoiceNumber');
    expect(runs[3]?.stderr).toContain('is not JSON');
    expect(runs[4]?.stderr).toContain('cannot read');
    for (const run of runs) expect(run.stdout).toBe('');
  });
});
