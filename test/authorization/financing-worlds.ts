/**
 * The worlds of the financing facts for the role table (fact-roles.test.ts), as worlds.ts builds the
 * others: the caller is exactly the party the fact needs (the holder that asks, accepts or withdraws;
 * a lender the request asked, or whose offer was accepted; a lender setting its limit), registered
 * with the one role under test. The facts before the call need the caller in the role they check
 * (a request asks only registered lenders; a holder comes to hold paper as a registered supplier), so
 * while its world is built the caller's registered roles are those, then its own again: the world
 * stands for a party whose roles changed after the fact, which the role gate must still refuse.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  creditLimitSetKind,
  financingDeclinedKind,
  financingDisbursedKind,
  financingOfferAcceptedKind,
  financingOfferedKind,
  financingRequestedKind,
  financingWithdrawnKind,
} from '../../services/financing/index.js';
import type { PartyRole } from '../../services/parties/party.js';
import { invoiceConfirmedKind } from '../../services/receivables/index.js';
import { addDays, todayUtc } from '../../services/receivables/receivable.js';
import { invoiceKind } from '../../services/trade/index.js';
import type { TestLedger, TestParty } from '../support/ledger.js';
import { invoicePayload, recordChain, recorded } from '../trade/trade-fixtures.js';
import type { World } from './worlds.js';

const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '25' }];

const party = (t: TestLedger, role: PartyRole) => t.newParty([role], { custodial: true });

function actingAs(caller: TestParty, role: PartyRole): TestParty {
  return { ...caller, actor: { partyId: caller.party.id, roles: [role] } };
}

/** Runs `build` while `caller` is registered with `roles`, then gives it its own roles back. */
async function registeredAs<T>(
  t: TestLedger,
  caller: TestParty,
  roles: PartyRole[],
  build: () => Promise<T>,
) {
  const setRoles = (to: PartyRole[]) =>
    t.owner.db.updateTable('party').set({ roles: to }).where('id', '=', caller.party.id).execute();
  await setRoles(roles);
  try {
    return await build();
  } finally {
    await setRoles(caller.party.roles);
  }
}

/** A confirmed invoice of 250.00 due in 90 days, whose root receivable `holder` holds as its seller. */
async function financeable(t: TestLedger, holder: TestParty): Promise<string> {
  const buyer = await party(t, 'core_enterprise');
  const chain = await recordChain(t, buyer, holder, lines);
  const invoice = invoicePayload(chain, lines, '250.00', {
    issueDate: addDays(todayUtc(), -5),
    dueDate: addDays(todayUtc(), 90),
  });
  await recorded(t, holder, invoiceKind, invoice);
  const receivableId = randomUUID();
  await recorded(t, buyer, invoiceConfirmedKind, { invoiceId: invoice.documentId, receivableId });
  return receivableId;
}

/** Stands for the verification report services/verify stores. */
async function storeReport(t: TestLedger, receivableId: string): Promise<string> {
  const body = JSON.stringify({ receivableId, nonce: randomBytes(8).toString('hex') });
  const hash = createHash('sha256').update(body).digest('hex');
  await t.owner.db
    .insertInto('verification_report')
    .values({ hash, receivable_id: receivableId, body })
    .execute();
  return hash;
}

async function request(t: TestLedger, holder: TestParty, receivableId: string, lenders: TestParty[]) {
  const financingId = randomUUID();
  await recorded(t, holder, financingRequestedKind, {
    financingId,
    receivableId,
    lenderPartyIds: lenders.map((lender) => lender.party.id),
    amount: '100.00',
  });
  return financingId;
}

function offerPayload(financingId: string, reportHash: string) {
  return {
    financingId,
    offerId: randomUUID(),
    rate: '0.05',
    dayCount: 'act_365f',
    fee: '1.00',
    advanceDate: todayUtc(),
    reportHash,
  };
}

/** The caller holds a financeable receivable (as a supplier while the world is built). */
async function asHolder(t: TestLedger, role: PartyRole) {
  const caller = await party(t, role);
  const lender = await party(t, 'lender');
  const holder = actingAs(caller, 'supplier');
  const receivableId = await registeredAs(t, caller, ['supplier'], () => financeable(t, holder));
  return { caller, holder, lender, receivableId };
}

/** The caller is the lender a supplier's request asked (as a lender while the world is built). */
async function asAskedLender(t: TestLedger, role: PartyRole) {
  const caller = await party(t, role);
  const holder = await party(t, 'supplier');
  const receivableId = await financeable(t, holder);
  const financingId = await registeredAs(t, caller, ['lender'], () =>
    request(t, holder, receivableId, [caller]),
  );
  return { caller, holder, receivableId, financingId, reportHash: await storeReport(t, receivableId) };
}

export const financingWorlds: Record<string, World> = {
  /** The holder asks a lender. */
  [financingRequestedKind]: async (t, role) => {
    const { caller, lender, receivableId } = await asHolder(t, role);
    const payload = {
      financingId: randomUUID(),
      receivableId,
      lenderPartyIds: [lender.party.id],
      amount: '100.00',
    };
    return { caller, payload };
  },
  /** The holder withdraws its request. */
  [financingWithdrawnKind]: async (t, role) => {
    const { caller, holder, lender, receivableId } = await asHolder(t, role);
    const financingId = await request(t, holder, receivableId, [lender]);
    return { caller, payload: { financingId } };
  },
  /** The holder accepts the lender's offer. */
  [financingOfferAcceptedKind]: async (t, role) => {
    const { caller, holder, lender, receivableId } = await asHolder(t, role);
    const financingId = await request(t, holder, receivableId, [lender]);
    const offer = offerPayload(financingId, await storeReport(t, receivableId));
    await recorded(t, lender, financingOfferedKind, offer);
    return { caller, payload: { financingId, offerId: offer.offerId } };
  },
  /** A lender asked offers. */
  [financingOfferedKind]: async (t, role) => {
    const { caller, financingId, reportHash } = await asAskedLender(t, role);
    return { caller, payload: offerPayload(financingId, reportHash) };
  },
  /** A lender asked declines. */
  [financingDeclinedKind]: async (t, role) => {
    const { caller, financingId } = await asAskedLender(t, role);
    return { caller, payload: { financingId, reason: 'outside our sector limits' } };
  },
  /** The lender whose offer the holder accepted disburses. */
  [financingDisbursedKind]: async (t, role) => {
    const { caller, holder, financingId, reportHash } = await asAskedLender(t, role);
    const offer = offerPayload(financingId, reportHash);
    await recorded(t, actingAs(caller, 'lender'), financingOfferedKind, offer);
    await recorded(t, holder, financingOfferAcceptedKind, { financingId, offerId: offer.offerId });
    const payload = {
      financingId,
      amount: '100.00',
      paymentReference: 'PAY-1',
      childReceivableId: randomUUID(),
    };
    return { caller, payload };
  },
  /** A lender caps what it finances on an obligor. */
  [creditLimitSetKind]: async (t, role) => {
    const caller = await party(t, role);
    const obligor = await party(t, 'core_enterprise');
    return {
      caller,
      payload: { scope: 'obligor', subjectPartyId: obligor.party.id, currency: 'CNY', limit: '5000.00' },
    };
  },
};
