import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  confirm,
  creditNote,
  invoiceStatus,
  issueInvoice,
  pay,
  record,
  recorded,
  transfer,
  treeOf,
} from './support.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let second: TestParty;

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  second = await t.newParty(['supplier'], { custodial: true });
});

/** 300.00 confirmed; the seller keeps 200.00 and passed 100.00 to `second`. */
async function splitInvoice() {
  const invoiceId = await issueInvoice(t, seller, buyer, { total: '300.00' });
  const rootId = await confirm(t, buyer, invoiceId);
  const childId = await transfer(t, seller, rootId, second, '100.00');
  return { invoiceId, rootId, childId };
}

const resolve = (invoiceId: string, outcome: 'accepted' | 'rejected') =>
  recorded(t, buyer, 'invoice.hold_resolved', { invoiceId, outcome });

async function holdFlags(invoiceId: string): Promise<boolean[]> {
  return (await treeOf(t, invoiceId)).map((node) => node.onHold);
}

describe('invoice.cancelled', () => {
  it('cancels an unconfirmed invoice outright', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer);
    await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'issued twice' });
    expect(await invoiceStatus(t, invoiceId)).toBe('cancelled');
    expect(await treeOf(t, invoiceId)).toEqual([]);
  });

  it('after confirmation holds every receivable, which blocks transfer and payment until resolved', async () => {
    const { invoiceId, rootId, childId } = await splitInvoice();
    await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'goods returned' });
    expect(await invoiceStatus(t, invoiceId)).toBe('cancellation_pending');
    expect(await holdFlags(invoiceId)).toEqual([true, true]);
    const blockedTransfer = await record(t, second, 'receivable.transferred', {
      receivableId: childId,
      toPartyId: seller.party.id,
      amount: '1.00',
      childReceivableId: randomUUID(),
    });
    expect(blockedTransfer).toMatchObject({ ok: false, code: 'receivable_on_hold', field: 'receivableId' });
    const blockedPayment = await record(t, buyer, 'payment.recorded', {
      paymentId: randomUUID(),
      invoiceId,
      amount: '1.00',
      paidOn: '2025-04-10',
    });
    expect(blockedPayment).toMatchObject({ ok: false, code: 'receivable_on_hold' });

    await resolve(invoiceId, 'rejected');
    expect(await invoiceStatus(t, invoiceId)).toBe('confirmed');
    expect(await holdFlags(invoiceId)).toEqual([false, false]);
    await transfer(t, second, childId, seller, '1.00');
    await pay(t, buyer, invoiceId, '1.00');
    expect((await treeOf(t, invoiceId)).find((node) => node.id === rootId)?.onHold).toBe(false);
  });

  it('once accepted, cancels every receivable not already settled and writes off what was outstanding', async () => {
    const { invoiceId } = await splitInvoice();
    await pay(t, buyer, invoiceId, '30.00');
    await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'goods returned' });
    await resolve(invoiceId, 'accepted');
    expect(await invoiceStatus(t, invoiceId)).toBe('cancelled');
    expect(
      (await treeOf(t, invoiceId)).map((node) => [
        node.status,
        node.onHold,
        node.settledMinor,
        node.creditedMinor,
        node.outstandingMinor,
      ]),
    ).toEqual([
      ['cancelled', false, 2_000n, 18_000n, 0n],
      ['cancelled', false, 1_000n, 9_000n, 0n],
    ]);
  });
});

describe('credit_note.issued', () => {
  it('before confirmation is in effect at once: the receivable starts that much credited', async () => {
    const invoiceId = await issueInvoice(t, seller, buyer, { total: '300.00' });
    const note = creditNote(invoiceId, '50.00');
    await recorded(t, seller, 'credit_note.issued', note);
    const document = await t.owner.db
      .selectFrom('trade_document')
      .selectAll()
      .where('id', '=', note.documentId)
      .executeTakeFirstOrThrow();
    expect(document).toMatchObject({
      kind: 'credit_note',
      status: 'confirmed',
      total_minor: 5_000n,
      document_number: note.creditNoteNumber,
    });
    const ref = await t.owner.db
      .selectFrom('trade_document_ref')
      .selectAll()
      .where('document_id', '=', note.documentId)
      .execute();
    expect(ref).toEqual([{ document_id: note.documentId, ref_document_id: invoiceId }]);
    await confirm(t, buyer, invoiceId);
    expect(await treeOf(t, invoiceId)).toEqual([
      expect.objectContaining({
        faceMinor: 30_000n,
        creditedMinor: 5_000n,
        outstandingMinor: 25_000n,
        onHold: false,
      }),
    ]);
  });

  it('after confirmation holds the receivables; accepted, it is spread across the holders like a negative payment', async () => {
    const { invoiceId } = await splitInvoice();
    const note = creditNote(invoiceId, '100.00');
    await recorded(t, seller, 'credit_note.issued', note);
    expect(await holdFlags(invoiceId)).toEqual([true, true]);
    await resolve(invoiceId, 'accepted');
    expect(
      (await treeOf(t, invoiceId)).map((node) => [node.creditedMinor, node.outstandingMinor, node.onHold]),
    ).toEqual([
      [6_667n, 13_333n, false],
      [3_333n, 6_667n, false],
    ]);
    const document = await t.owner.db
      .selectFrom('trade_document')
      .select('status')
      .where('id', '=', note.documentId)
      .executeTakeFirstOrThrow();
    expect(document.status).toBe('confirmed');
    await pay(t, buyer, invoiceId, '200.00');
    expect((await treeOf(t, invoiceId)).map((node) => node.status)).toEqual(['settled', 'settled']);
  });

  it('rejected, stays on record while the holders keep their claims in full', async () => {
    const { invoiceId } = await splitInvoice();
    const note = creditNote(invoiceId, '100.00');
    await recorded(t, seller, 'credit_note.issued', note);
    await resolve(invoiceId, 'rejected');
    expect(
      (await treeOf(t, invoiceId)).map((node) => [node.creditedMinor, node.outstandingMinor, node.onHold]),
    ).toEqual([
      [0n, 20_000n, false],
      [0n, 10_000n, false],
    ]);
    const document = await t.owner.db
      .selectFrom('trade_document')
      .select('status')
      .where('id', '=', note.documentId)
      .executeTakeFirstOrThrow();
    expect(document.status).toBe('recorded');
  });
});
