/**
 * The report's warnings and failures on purpose, one signal at a time: a custodial signature, a
 * circular trade among three parties, related parties, the same tax invoice, goods receipt or
 * blinded fingerprint financed elsewhere, a root financed above its face, an alert after funding.
 * Financings are written straight into their tables (report-world.ts financingRow).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoiceConfirmedKind } from '../../services/receivables/index.js';
import { invoiceKind } from '../../services/trade/index.js';
import { anchorAll } from '../support/anchor.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { invoicePayload, recordChain, stated } from '../trade/trade-fixtures.js';
import {
  check,
  confirmedInvoice,
  evidenceValues,
  financingRow,
  lines,
  reportFor,
  statuses,
} from './report-world.js';

const ledger = useTestLedger();
let buyer: TestParty;
let seller: TestParty;

const financedBy = (receivableId: string) =>
  sql`UPDATE receivable SET financed_by = ${randomUUID()}::UUID WHERE id = ${receivableId}::UUID`.execute(
    ledger.owner.db,
  );

beforeAll(async () => {
  buyer = await ledger.newParty(['core_enterprise']);
  seller = await ledger.newParty(['supplier']);
});

describe('signals the report raises', () => {
  it('warns when the buyer signed its receipt and confirmation with a custodial key', async () => {
    const custodialBuyer = await ledger.newParty(['core_enterprise'], { custodial: true });
    const trade = await confirmedInvoice(ledger, custodialBuyer, seller);
    await anchorAll(ledger);
    const report = await reportFor(ledger, seller, trade.rootId);
    expect(report.body.verdict).toBe('suspicious');
    expect(statuses(report)).toMatchObject({ integrity: 'pass', document_chain: 'warn' });
    const custodial = check(report, 'document_chain').evidence.find(
      (item) => item.label === 'signed with a custodial key',
    );
    expect(custodial?.values).toHaveLength(2);
  });

  it('warns of a circular trade among three parties within 90 days and 20%', async () => {
    const a = seller;
    const b = await ledger.newParty(['supplier', 'core_enterprise']);
    const c = await ledger.newParty(['supplier', 'core_enterprise']);
    const ab = await confirmedInvoice(ledger, b, a, {}, '10');
    const bc = await confirmedInvoice(ledger, c, b, {}, '11');
    await confirmedInvoice(ledger, a, c, {}, '10');
    await anchorAll(ledger);
    const report = await reportFor(ledger, a, ab.rootId);
    expect(check(report, 'circular_trade').status).toBe('warn');
    expect(evidenceValues(report, 'circular_trade')).toEqual(
      expect.arrayContaining([ab.invoiceId, bc.invoiceId, a.party.id, b.party.id, c.party.id]),
    );
    // Amounts apart by more than 20% are no cycle: 10 → 13 is 30%.
    const d = await ledger.newParty(['supplier', 'core_enterprise']);
    const de = await confirmedInvoice(ledger, d, a, {}, '10');
    await confirmedInvoice(ledger, a, d, {}, '13');
    const apart = await reportFor(ledger, a, de.rootId);
    expect(check(apart, 'circular_trade').status).toBe('pass');
  });

  it('warns when buyer and seller, or lender and holder, are one ownership group', async () => {
    const subsidiary = await ledger.newParty(['supplier'], { parentPartyId: buyer.party.id });
    const trade = await confirmedInvoice(ledger, buyer, subsidiary);
    const related = await reportFor(ledger, subsidiary, trade.rootId);
    expect(check(related, 'related_parties').status).toBe('warn');

    const other = await confirmedInvoice(ledger, buyer, seller);
    const sister = await ledger.newParty(['lender'], { parentPartyId: seller.party.id });
    const stranger = await ledger.newParty(['lender']);
    await financingRow(ledger, other.rootId, { lenders: [sister, stranger], status: 'requested' });
    const report = await reportFor(ledger, stranger, other.rootId);
    expect(check(report, 'related_parties').status).toBe('warn');
    expect(check(report, 'related_parties').summary).toContain(sister.party.id);
    expect(check(report, 'related_parties').summary).not.toContain(stranger.party.id);
  });

  it('fails when the same tax invoice is behind another financed receivable', async () => {
    const number = freshKey('TAX');
    const secondSeller = await ledger.newParty(['supplier']);
    const mine = await confirmedInvoice(ledger, buyer, seller, { taxInvoiceNumber: number });
    const before = await reportFor(ledger, seller, mine.rootId);
    const theirs = await confirmedInvoice(ledger, buyer, secondSeller, { taxInvoiceNumber: number });
    const unfinanced = await reportFor(ledger, seller, mine.rootId);
    await financingRow(ledger, theirs.rootId, { lenders: [], status: 'disbursed' });
    const report = await reportFor(ledger, seller, mine.rootId);
    expect(check(before, 'duplicates').status).toBe('pass');
    expect(check(unfinanced, 'duplicates').status).toBe('warn');
    expect(check(report, 'duplicates').status).toBe('fail');
    expect(report.body.verdict).toBe('failed');
    expect(evidenceValues(report, 'duplicates')).toContain(theirs.invoiceId);
  });

  it('warns when a goods receipt behind it is behind another financed invoice', async () => {
    const chain = await recordChain(ledger, buyer, seller, lines);
    const half = [{ ...lines[0], quantity: '5' } as (typeof lines)[number]];
    const roots: string[] = [];
    const invoices: string[] = [];
    for (let index = 0; index < 2; index++) {
      const invoice = invoicePayload(chain, half, '500.00');
      await stated(ledger, seller, invoiceKind, invoice);
      const rootId = randomUUID();
      await stated(ledger, buyer, invoiceConfirmedKind, {
        invoiceId: invoice.documentId,
        receivableId: rootId,
      });
      roots.push(rootId);
      invoices.push(String(invoice.documentId));
    }
    const [mine = '', theirs = ''] = roots;
    expect(check(await reportFor(ledger, seller, mine), 'duplicates').status).toBe('pass');
    await financedBy(theirs);
    const report = await reportFor(ledger, seller, mine);
    expect(check(report, 'duplicates').status).toBe('warn');
    expect(evidenceValues(report, 'duplicates')).toContain(invoices[1]);
    // Both halves bill the receipt's ten; a third would be over it.
    expect(check(report, 'document_chain').status).toBe('pass');
  });

  it('fails when its blinded fingerprint was seen on another financed invoice', async () => {
    const mine = await confirmedInvoice(ledger, buyer, seller);
    const theirs = await confirmedInvoice(ledger, buyer, seller);
    const fingerprint = randomBytes(32).toString('hex');
    await ledger.owner.db
      .insertInto('invoice_fingerprint')
      .values([
        { invoice_id: mine.invoiceId, fingerprint },
        { invoice_id: theirs.invoiceId, fingerprint },
      ])
      .execute();
    expect(check(await reportFor(ledger, seller, mine.rootId), 'duplicates').status).toBe('warn');
    await financedBy(theirs.rootId);
    const report = await reportFor(ledger, seller, mine.rootId);
    expect(check(report, 'duplicates').status).toBe('fail');
    expect(evidenceValues(report, 'duplicates')).toEqual(
      expect.arrayContaining([fingerprint, theirs.invoiceId]),
    );
  });

  it('fails when more than the root’s face is financed', async () => {
    const trade = await confirmedInvoice(ledger, buyer, seller);
    await financingRow(ledger, trade.rootId, { lenders: [], status: 'disbursed', amountMinor: 60_000n });
    expect(check(await reportFor(ledger, seller, trade.rootId), 'duplicates').status).toBe('pass');
    await financingRow(ledger, trade.rootId, { lenders: [], status: 'disbursed', amountMinor: 60_000n });
    const report = await reportFor(ledger, seller, trade.rootId);
    expect(check(report, 'duplicates').status).toBe('fail');
    expect(evidenceValues(report, 'duplicates')).toEqual(expect.arrayContaining(['1000.00', '1200.00']));
  });

  it('warns with the event of each alert raised after funding', async () => {
    const trade = await confirmedInvoice(ledger, buyer, seller);
    const lender = await ledger.newParty(['lender']);
    const financingId = await financingRow(ledger, trade.rootId, { lenders: [lender], status: 'disbursed' });
    const quiet = check(await reportFor(ledger, lender, trade.rootId), 'post_funding');
    expect(quiet.status).toBe('pass');
    expect(quiet.evidence).toEqual([
      { label: 'disbursed financings watched', kind: 'financing', values: [financingId] },
      { label: 'alerts raised after disbursement', kind: 'number', values: ['0'] },
    ]);
    const eventId = randomUUID();
    await ledger.owner.db
      .insertInto('financing_alert')
      .values({
        id: randomUUID(),
        financing_id: financingId,
        lender_party_id: lender.party.id,
        event_id: eventId,
        kind: 'credit_note_issued',
      })
      .execute();
    const report = await reportFor(ledger, lender, trade.rootId);
    expect(check(report, 'post_funding').status).toBe('warn');
    expect(evidenceValues(report, 'post_funding')).toEqual([financingId, '1', eventId, financingId]);
  });
});
