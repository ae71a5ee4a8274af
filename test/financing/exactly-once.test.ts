/**
 * Exactly once, through separate connections: several ledgers, each with a pool of its own (as
 * several API processes would have), race the same acceptance and the same disbursement. SERIALIZABLE
 * transactions, the invoice's row taken FOR UPDATE by its fact chain, and the constraints decide;
 * nothing in this process does. Each race ends with one success, typed errors for the rest, nothing
 * half-written, and balances that add up.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../services/context.js';
import { type DatabaseHandle, openDatabase } from '../../services/db/connect.js';
import { recordFact } from '../../services/events/fact.service.js';
import { assertNodeConserves } from '../../services/receivables/receivable.js';
import { treeOf } from '../receivables/support.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  accept,
  confirmedReceivable,
  financingRow,
  offer,
  requestFinancing,
  storeReport,
  transfer,
} from './support.js';

const t = useTestLedger();
const processes = 5;
const racers = 50;
const pools: DatabaseHandle[] = [];
const ledgers: Ledger[] = [];
let seller: TestParty;
let buyer: TestParty;
let tier1: TestParty;
const lenders: TestParty[] = [];

beforeAll(async () => {
  for (let index = 0; index < processes; index++) {
    const pool = await openDatabase(t.appUrl, { poolMax: 6 });
    pools.push(pool);
    ledgers.push({ ...t.ledger, db: pool.db });
  }
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  tier1 = await t.newParty(['supplier'], { custodial: true });
  for (let index = 0; index < 10; index++) lenders.push(await t.newParty(['lender'], { custodial: true }));
});

afterAll(async () => {
  for (const pool of pools) await pool.close();
});

/** `racers` calls spread over the ledgers, all started before any is awaited. */
function race(call: (ledger: Ledger, index: number) => ReturnType<typeof recordFact>) {
  return Promise.all(
    Array.from({ length: racers }, (_, index) => call(ledgers[index % processes] as Ledger, index)),
  );
}

function outcomes(results: Awaited<ReturnType<typeof recordFact>>[]) {
  const counts = new Map<string, number>();
  for (const result of results) {
    const key = result.ok ? 'ok' : result.code;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(counts);
}

async function assertTreeConserves(invoiceId: string): Promise<void> {
  const tree = await treeOf(t, invoiceId);
  for (const node of tree) {
    assertNodeConserves(node);
    const childFaces = tree
      .filter((child) => child.parentId === node.id)
      .reduce((sum, child) => sum + child.faceMinor, 0n);
    expect(childFaces).toBe(node.transferredMinor);
  }
}

async function offersOnOneRequest() {
  const { invoiceId, rootId } = await confirmedReceivable(t, seller, buyer, { total: '1000.00' });
  const financingId = await requestFinancing(t, seller, rootId, lenders, '800.00');
  const reportHash = await storeReport(t, rootId);
  const offerIds: string[] = [];
  for (const lender of lenders) offerIds.push(await offer(t, lender, financingId, reportHash));
  return { invoiceId, rootId, financingId, offerIds };
}

describe('exactly once', () => {
  it(`accepts one of ${racers} concurrent acceptances of the offers on one request`, async () => {
    const { financingId, offerIds } = await offersOnOneRequest();
    const results = await race((ledger, index) =>
      recordFact(
        ledger,
        seller.actor,
        'financing.offer_accepted',
        { financingId, offerId: offerIds[index % offerIds.length] },
        freshKey('accept'),
      ),
    );
    expect(outcomes(results)).toEqual({ ok: 1, financing_already_accepted: racers - 1 });
    const winner = results.find((result) => result.ok);
    const acceptedOffer = winner?.ok ? (winner.value.event.payload as { offerId: string }).offerId : null;
    const row = await financingRow(t, financingId);
    expect(row).toMatchObject({ status: 'accepted', accepted_offer_id: acceptedOffer });
    const responses = await t.owner.db
      .selectFrom('financing_response')
      .select(['id', 'status', 'lender_party_id'])
      .where('financing_id', '=', financingId)
      .execute();
    expect(
      responses.filter((response) => response.status === 'accepted').map((response) => response.id),
    ).toEqual([acceptedOffer]);
    expect(responses.filter((response) => response.status === 'closed')).toHaveLength(lenders.length - 1);
    expect(row.lender_party_id).toBe(
      responses.find((response) => response.id === acceptedOffer)?.lender_party_id,
    );
    const events = await t.owner.db
      .selectFrom('event')
      .select('id')
      .where('kind', '=', 'financing.offer_accepted')
      .execute();
    expect(events).toHaveLength(1);
  });

  it(`disburses once of ${racers} concurrent disbursements`, async () => {
    const { invoiceId, rootId, financingId, offerIds } = await offersOnOneRequest();
    const lender = lenders[0] as TestParty;
    await accept(t, seller, financingId, offerIds[0] as string);
    const results = await race((ledger) =>
      recordFact(
        ledger,
        lender.actor,
        'financing.disbursed',
        { financingId, amount: '800.00', paymentReference: 'PAY-RACE', childReceivableId: randomUUID() },
        freshKey('disburse'),
      ),
    );
    expect(outcomes(results)).toEqual({ ok: 1, financing_already_disbursed: racers - 1 });
    const tree = await treeOf(t, invoiceId);
    const parts = tree.filter((node) => node.holderPartyId === lender.party.id);
    expect(parts.map((node) => node.faceMinor)).toEqual([80_000n]);
    const financed = await t.owner.db
      .selectFrom('financed_root')
      .selectAll()
      .where('root_id', '=', rootId)
      .executeTakeFirstOrThrow();
    expect(financed).toMatchObject({ face_minor: 100_000n, financed_minor: 80_000n });
    expect(await financingRow(t, financingId)).toMatchObject({
      status: 'disbursed',
      child_receivable_id: parts[0]?.id,
    });
    await assertTreeConserves(invoiceId);
  });

  it("never finances beyond the root's face when two parts race, even from a forced financed total", async () => {
    // Two parts of one root (600.00 with tier1, 400.00 kept by the seller), each accepted in full.
    const { invoiceId, rootId } = await confirmedReceivable(t, seller, buyer, { total: '1000.00' });
    const partId = await transfer(t, seller, rootId, tier1, '600.00');
    const [first, second] = lenders as [TestParty, TestParty];
    const partFinancing = await requestFinancing(t, tier1, partId, [first], '600.00');
    await accept(t, tier1, partFinancing, await offer(t, first, partFinancing, await storeReport(t, partId)));
    const rootFinancing = await requestFinancing(t, seller, rootId, [second], '400.00');
    await accept(
      t,
      seller,
      rootFinancing,
      await offer(t, second, rootFinancing, await storeReport(t, rootId)),
    );
    // The flow cannot bring a root's financed total above what its parts leave outstanding; force
    // 300.00 on it, so that either disbursement fits alone and both together (1,300.00) do not.
    await t.owner.db
      .insertInto('financed_root')
      .values({ root_id: rootId, face_minor: 100_000n, financed_minor: 30_000n })
      .execute();
    const disburse = (ledger: Ledger, lender: TestParty, financingId: string, amount: string) =>
      recordFact(
        ledger,
        lender.actor,
        'financing.disbursed',
        { financingId, amount, paymentReference: 'PAY-ROOT', childReceivableId: randomUUID() },
        freshKey('disburse'),
      );
    const results = await Promise.all([
      disburse(ledgers[0] as Ledger, first, partFinancing, '600.00'),
      disburse(ledgers[1] as Ledger, second, rootFinancing, '400.00'),
    ]);
    expect(outcomes(results)).toEqual({ ok: 1, receivable_already_financed: 1 });
    const financed = await t.owner.db
      .selectFrom('financed_root')
      .selectAll()
      .where('root_id', '=', rootId)
      .executeTakeFirstOrThrow();
    expect(financed.financed_minor <= financed.face_minor).toBe(true);
    expect([90_000n, 70_000n]).toContain(financed.financed_minor);
    await assertTreeConserves(invoiceId);
    // And the constraint itself refuses a total beyond the face, whoever writes it.
    await expect(
      t.app.db
        .updateTable('financed_root')
        .set({ financed_minor: 100_001n })
        .where('root_id', '=', rootId)
        .execute(),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
