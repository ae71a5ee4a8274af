import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { confirm, creditNote, issueInvoice, record, recorded, snapshotAll, transfer } from './support.js';

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
async function confirmedInvoice(): Promise<string> {
  const invoiceId = await issueInvoice(t, seller, buyer, { total: '300.00' });
  const rootId = await confirm(t, buyer, invoiceId);
  await transfer(t, seller, rootId, second, '100.00');
  return invoiceId;
}

const resolve = (invoiceId: string, outcome: 'accepted' | 'rejected') =>
  recorded(t, buyer, 'invoice.hold_resolved', { invoiceId, outcome });

type Build = () => Promise<{ actor: TestParty; kind: string; payload: Record<string, unknown> }>;

async function pendingCancellation(): Promise<string> {
  const invoiceId = await confirmedInvoice();
  await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'returned' });
  return invoiceId;
}

function act(
  kind: string,
  actor: () => TestParty,
  payload: (invoiceId: string) => Record<string, unknown>,
  invoice = confirmedInvoice,
): Build {
  return async () => ({ actor: actor(), kind, payload: payload(await invoice()) });
}

const cancel = (invoiceId: string) => ({ invoiceId, reason: 'returned' });
const accept = (invoiceId: string) => ({ invoiceId, outcome: 'accepted' });

const failures: Array<[name: string, code: string, field: string, build: Build]> = [
  // A buyer that is a core enterprise is refused by its role (test/authorization); a supplier that
  // holds part of the receivable has the role, and the rule still refuses it: only the seller.
  [
    'a cancellation by a holder that is not the seller',
    'forbidden',
    'invoiceId',
    act('invoice.cancelled', () => second, cancel),
  ],
  [
    'a cancellation of an unknown invoice',
    'invoice_not_found',
    'invoiceId',
    act(
      'invoice.cancelled',
      () => seller,
      () => cancel(randomUUID()),
    ),
  ],
  [
    'a second cancellation while one is pending',
    'receivable_on_hold',
    'invoiceId',
    act('invoice.cancelled', () => seller, cancel, pendingCancellation),
  ],
  [
    'a cancellation of a cancelled invoice',
    'invoice_cancelled',
    'invoiceId',
    act(
      'invoice.cancelled',
      () => seller,
      cancel,
      async () => {
        const invoiceId = await pendingCancellation();
        await resolve(invoiceId, 'accepted');
        return invoiceId;
      },
    ),
  ],
  [
    'a credit note by a holder that is not the seller',
    'forbidden',
    'invoiceId',
    act(
      'credit_note.issued',
      () => second,
      (id) => creditNote(id, '1.00'),
    ),
  ],
  [
    'a credit note above the outstanding amount',
    'amount_exceeds_outstanding',
    'amount',
    act(
      'credit_note.issued',
      () => seller,
      (id) => creditNote(id, '300.01'),
    ),
  ],
  [
    'a credit note dated before its invoice',
    'dates_out_of_order',
    'issueDate',
    act(
      'credit_note.issued',
      () => seller,
      (id) => creditNote(id, '1.00', { issueDate: '2025-01-01' }),
    ),
  ],
  [
    'a credit note while a cancellation is pending',
    'receivable_on_hold',
    'invoiceId',
    act(
      'credit_note.issued',
      () => seller,
      (id) => creditNote(id, '1.00'),
      pendingCancellation,
    ),
  ],
  [
    'a credit note number used before by the seller',
    'invalid_input',
    'creditNoteNumber',
    act(
      'credit_note.issued',
      () => seller,
      (id) => creditNote(id, '1.00', { creditNoteNumber: 'CN-REUSED' }),
      async () => {
        const invoiceId = await issueInvoice(t, seller, buyer);
        await record(
          t,
          seller,
          'credit_note.issued',
          creditNote(invoiceId, '1.00', { creditNoteNumber: 'CN-REUSED' }),
        );
        return invoiceId;
      },
    ),
  ],
  [
    'a resolution with nothing pending',
    'no_hold_to_resolve',
    'invoiceId',
    act('invoice.hold_resolved', () => buyer, accept),
  ],
  [
    'a resolution by the seller',
    'forbidden',
    'invoiceId',
    act('invoice.hold_resolved', () => seller, accept, pendingCancellation),
  ],
  [
    'a resolution with an unknown outcome',
    'invalid_input',
    'outcome',
    act(
      'invoice.hold_resolved',
      () => buyer,
      (id) => ({ invoiceId: id, outcome: 'maybe' }),
      pendingCancellation,
    ),
  ],
];

describe('cancellation, credit note and resolution rejections', () => {
  it.each(failures)('rejects %s with %s on %s and writes nothing', async (_name, code, field, build) => {
    const { actor, kind, payload } = await build();
    const before = await snapshotAll(t);
    expect(await record(t, actor, kind, payload)).toMatchObject({ ok: false, code, field });
    expect(await snapshotAll(t)).toBe(before);
  });
});
