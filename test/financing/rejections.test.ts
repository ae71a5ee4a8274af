/**
 * Bad input and wrong states on every financing fact: each is refused with its typed code, and
 * nothing is written (every table, the financing tables among them, is the same before and after).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordFact } from '../../services/events/fact.service.js';
import type { Actor } from '../../services/parties/party.js';
import { addDays, todayUtc } from '../../services/receivables/receivable.js';
import { confirm, creditNote, issueInvoice, pay } from '../receivables/support.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  accept,
  confirmedReceivable,
  disburse,
  offer,
  offerPayload,
  record,
  recorded,
  requestFinancing,
  snapshotAll,
  snapshotWithFinancing,
  storeReport,
} from './support.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let lender: TestParty;
let otherLender: TestParty;
let notAsked: TestParty;
let supplierParty: TestParty;

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  lender = await t.newParty(['lender'], { custodial: true });
  otherLender = await t.newParty(['lender'], { custodial: true });
  notAsked = await t.newParty(['lender'], { custodial: true });
  supplierParty = await t.newParty(['supplier'], { custodial: true });
});

interface Call {
  actor: TestParty | Actor;
  kind: string;
  payload: Record<string, unknown>;
}

const requestOf = (receivableId: string, amount: string, lenders = [lender]) => ({
  financingId: randomUUID(),
  receivableId,
  lenderPartyIds: lenders.map((party) => party.party.id),
  amount,
});

/** A confirmed receivable of 1,000.00 held by the seller. */
const fresh = () => confirmedReceivable(t, seller, buyer, { total: '1000.00' });

/** A request to `lender` with one open offer by it. */
async function offered() {
  const { rootId, invoiceId } = await fresh();
  const financingId = await requestFinancing(t, seller, rootId, [lender, otherLender], '600.00');
  const reportHash = await storeReport(t, rootId);
  const offerId = await offer(t, lender, financingId, reportHash);
  return { rootId, invoiceId, financingId, reportHash, offerId };
}

async function accepted() {
  const state = await offered();
  await accept(t, seller, state.financingId, state.offerId);
  return state;
}

const disbursal = (financingId: string, amount: string) => ({
  financingId,
  amount,
  paymentReference: 'PAY-1',
  childReceivableId: randomUUID(),
});

const cases: Array<[string, string, () => Promise<Call>]> = [
  [
    'a zero amount',
    'invalid_input',
    async () => {
      const { rootId } = await fresh();
      return { actor: seller, kind: 'financing.requested', payload: requestOf(rootId, '0.00') };
    },
  ],
  [
    'a negative amount',
    'invalid_input',
    async () => {
      const { rootId } = await fresh();
      return { actor: seller, kind: 'financing.requested', payload: requestOf(rootId, '-5.00') };
    },
  ],
  [
    'an amount above the outstanding',
    'amount_exceeds_outstanding',
    async () => {
      const { rootId } = await fresh();
      return { actor: seller, kind: 'financing.requested', payload: requestOf(rootId, '1000.01') };
    },
  ],
  [
    'an overdue receivable',
    'receivable_overdue',
    async () => {
      const invoiceId = await issueInvoice(t, seller, buyer, {
        total: '100.00',
        issueDate: addDays(todayUtc(), -60),
        dueDate: addDays(todayUtc(), -1),
      });
      const rootId = await confirm(t, buyer, invoiceId);
      return { actor: seller, kind: 'financing.requested', payload: requestOf(rootId, '100.00') };
    },
  ],
  [
    'a receivable on hold',
    'receivable_on_hold',
    async () => {
      const { rootId, invoiceId } = await fresh();
      await recorded(
        t,
        seller,
        'credit_note.issued',
        creditNote(invoiceId, '10.00', { issueDate: todayUtc() }),
      );
      return { actor: seller, kind: 'financing.requested', payload: requestOf(rootId, '100.00') };
    },
  ],
  [
    'a defaulted receivable',
    'receivable_defaulted',
    async () => {
      const { rootId, invoiceId } = await fresh();
      await recorded(t, buyer, 'receivable.defaulted', { invoiceId, reason: 'insolvent' });
      return { actor: seller, kind: 'financing.requested', payload: requestOf(rootId, '100.00') };
    },
  ],
  [
    'a settled receivable',
    'receivable_settled',
    async () => {
      const { rootId, invoiceId } = await fresh();
      await pay(t, buyer, invoiceId, '1000.00', todayUtc());
      return { actor: seller, kind: 'financing.requested', payload: requestOf(rootId, '100.00') };
    },
  ],
  [
    'a receivable under an open request',
    'receivable_under_financing',
    async () => {
      const { rootId } = await fresh();
      await requestFinancing(t, seller, rootId, [lender], '100.00');
      return {
        actor: seller,
        kind: 'financing.requested',
        payload: requestOf(rootId, '100.00', [otherLender]),
      };
    },
  ],
  [
    "a lender's financed part",
    'receivable_already_financed',
    async () => {
      const { financingId } = await accepted();
      const childReceivableId = await disburse(t, lender, financingId, '600.00');
      const asLender = { partyId: lender.party.id, roles: ['supplier' as const] };
      return {
        actor: asLender,
        kind: 'financing.requested',
        payload: requestOf(childReceivableId, '100.00', [otherLender]),
      };
    },
  ],
  [
    'asking a party that is not a lender',
    'counterparty_role_invalid',
    async () => {
      const { rootId } = await fresh();
      return {
        actor: seller,
        kind: 'financing.requested',
        payload: requestOf(rootId, '100.00', [supplierParty]),
      };
    },
  ],
  [
    'asking the obligor',
    'counterparty_role_invalid',
    async () => {
      const { rootId } = await fresh();
      return { actor: seller, kind: 'financing.requested', payload: requestOf(rootId, '100.00', [buyer]) };
    },
  ],
  [
    'a request by a party that does not hold the receivable',
    'forbidden',
    async () => {
      const { rootId } = await fresh();
      return { actor: supplierParty, kind: 'financing.requested', payload: requestOf(rootId, '100.00') };
    },
  ],
  [
    'a negative rate',
    'invalid_input',
    async () => {
      const { financingId, reportHash } = await offered();
      return {
        actor: otherLender,
        kind: 'financing.offered',
        payload: offerPayload(financingId, reportHash, { rate: '-0.01' }),
      };
    },
  ],
  [
    'a rate of 1 or more',
    'invalid_input',
    async () => {
      const { financingId, reportHash } = await offered();
      return {
        actor: otherLender,
        kind: 'financing.offered',
        payload: offerPayload(financingId, reportHash, { rate: '1' }),
      };
    },
  ],
  [
    'a rate with 7 decimals',
    'invalid_input',
    async () => {
      const { financingId, reportHash } = await offered();
      const payload = offerPayload(financingId, reportHash, { rate: '0.0450001' });
      return { actor: otherLender, kind: 'financing.offered', payload };
    },
  ],
  [
    'an advance date in the past',
    'invalid_input',
    async () => {
      const { financingId, reportHash } = await offered();
      const payload = offerPayload(financingId, reportHash, { advanceDate: addDays(todayUtc(), -1) });
      return { actor: otherLender, kind: 'financing.offered', payload };
    },
  ],
  [
    'a fee that takes the whole amount',
    'advance_not_positive',
    async () => {
      const { financingId, reportHash } = await offered();
      const payload = offerPayload(financingId, reportHash, { fee: '600.00' });
      return { actor: otherLender, kind: 'financing.offered', payload };
    },
  ],
  [
    'a report hash no stored report of the receivable has',
    'report_not_found',
    async () => {
      const { financingId } = await offered();
      return {
        actor: otherLender,
        kind: 'financing.offered',
        payload: offerPayload(financingId, 'ab'.repeat(32)),
      };
    },
  ],
  [
    'an offer stating another discount than the server computes',
    'invalid_input',
    async () => {
      const { financingId, reportHash } = await offered();
      const payload = offerPayload(financingId, reportHash, {
        days: 90,
        discount: '0.01',
        advance: '598.99',
      });
      return { actor: otherLender, kind: 'financing.offered', payload };
    },
  ],
  [
    "an offer beyond the lender's credit limit on the obligor",
    'credit_limit_exceeded',
    async () => {
      const { financingId, reportHash } = await offered();
      const limit = { scope: 'obligor', subjectPartyId: buyer.party.id, currency: 'CNY', limit: '599.99' };
      await recorded(t, otherLender, 'credit_limit.set', limit);
      return {
        actor: otherLender,
        kind: 'financing.offered',
        payload: offerPayload(financingId, reportHash),
      };
    },
  ],
  [
    'an offer by a lender not asked',
    'lender_not_asked',
    async () => {
      const { financingId, reportHash } = await offered();
      return { actor: notAsked, kind: 'financing.offered', payload: offerPayload(financingId, reportHash) };
    },
  ],
  [
    'a second answer of one lender',
    'financing_already_answered',
    async () => {
      const { financingId } = await offered();
      return {
        actor: lender,
        kind: 'financing.declined',
        payload: { financingId, reason: 'changed my mind' },
      };
    },
  ],
  [
    'a decline by a lender not asked',
    'lender_not_asked',
    async () => {
      const { financingId } = await offered();
      return { actor: notAsked, kind: 'financing.declined', payload: { financingId, reason: 'not for us' } };
    },
  ],
  [
    'an acceptance by a party other than the holder',
    'forbidden',
    async () => {
      const { financingId, offerId } = await offered();
      return { actor: supplierParty, kind: 'financing.offer_accepted', payload: { financingId, offerId } };
    },
  ],
  [
    'an acceptance of an offer on another financing',
    'offer_not_found',
    async () => {
      const { financingId } = await offered();
      const other = await offered();
      return {
        actor: seller,
        kind: 'financing.offer_accepted',
        payload: { financingId, offerId: other.offerId },
      };
    },
  ],
  [
    'a second acceptance',
    'financing_already_accepted',
    async () => {
      const { financingId, offerId } = await accepted();
      return { actor: seller, kind: 'financing.offer_accepted', payload: { financingId, offerId } };
    },
  ],
  [
    'a withdrawal after the acceptance',
    'financing_already_accepted',
    async () => {
      const { financingId } = await accepted();
      return { actor: seller, kind: 'financing.withdrawn', payload: { financingId } };
    },
  ],
  [
    'a disbursement before any acceptance',
    'financing_not_accepted',
    async () => {
      const { financingId } = await offered();
      return { actor: lender, kind: 'financing.disbursed', payload: disbursal(financingId, '600.00') };
    },
  ],
  [
    'a disbursement of another amount',
    'disbursement_amount_mismatch',
    async () => {
      const { financingId } = await accepted();
      return { actor: lender, kind: 'financing.disbursed', payload: disbursal(financingId, '599.99') };
    },
  ],
  [
    'a disbursement by a lender whose offer was not accepted',
    'lender_not_asked',
    async () => {
      const { financingId } = await accepted();
      return { actor: otherLender, kind: 'financing.disbursed', payload: disbursal(financingId, '600.00') };
    },
  ],
  [
    'a second disbursement',
    'financing_already_disbursed',
    async () => {
      const { financingId } = await accepted();
      await disburse(t, lender, financingId, '600.00');
      return { actor: lender, kind: 'financing.disbursed', payload: disbursal(financingId, '600.00') };
    },
  ],
  [
    'a financing that does not exist',
    'financing_not_found',
    async () => ({
      actor: seller,
      kind: 'financing.withdrawn',
      payload: { financingId: randomUUID() },
    }),
  ],
  [
    'a negative credit limit',
    'invalid_input',
    async () => ({
      actor: lender,
      kind: 'credit_limit.set',
      payload: { scope: 'obligor', subjectPartyId: buyer.party.id, currency: 'CNY', limit: '-1.00' },
    }),
  ],
  [
    'a group limit on a company that has a parent',
    'invalid_input',
    async () => {
      const subsidiary = await t.newParty(['core_enterprise'], {
        custodial: true,
        parentPartyId: buyer.party.id,
      });
      return {
        actor: lender,
        kind: 'credit_limit.set',
        payload: { scope: 'group', subjectPartyId: subsidiary.party.id, currency: 'CNY', limit: '1.00' },
      };
    },
  ],
];

describe('financing refuses', () => {
  it.each(cases)('%s with %s and writes nothing', async (_name, code, setup) => {
    const call = await setup();
    const before = await snapshotWithFinancing(t, () => snapshotAll(t));
    const result = await record(t, call.actor, call.kind, call.payload);
    expect(result).toMatchObject({ ok: false, code });
    expect(await snapshotWithFinancing(t, () => snapshotAll(t))).toBe(before);
  });

  it('an offer on a request that lapsed, with financing_expired, and writes nothing', async () => {
    const short = { ...t.ledger, policy: { ...t.ledger.policy, financingRequestTtlHours: 1 / 3600 } };
    const { rootId } = await fresh();
    const requested = await recordFact(
      short,
      seller.actor,
      'financing.requested',
      requestOf(rootId, '100.00'),
      freshKey('request'),
    );
    if (!requested.ok) throw new Error(requested.message);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const lapsedId = (requested.value.event.payload as { financingId: string }).financingId;
    const reportHash = await storeReport(t, rootId);
    const before = await snapshotWithFinancing(t, () => snapshotAll(t));
    const result = await record(t, lender, 'financing.offered', offerPayload(lapsedId, reportHash));
    expect(result).toMatchObject({ ok: false, code: 'financing_expired' });
    expect(await snapshotWithFinancing(t, () => snapshotAll(t))).toBe(before);
  });
});
