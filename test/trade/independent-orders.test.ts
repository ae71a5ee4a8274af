/**
 * Independent writes do not conflict: sixteen purchase orders prepared and submitted at once by four
 * custodial sellers to one buyer share nothing but the buyer, so they commit without exhausting
 * retries and with (almost) no serialization failure. Before prepare and submit read their absent
 * keys (idempotency key, new document id) outside the write, about a third of the attempts here
 * rolled back on PostgreSQL, which locks the index pages such reads touch.
 */
import { describe, expect, it } from 'vitest';
import { transactionStats } from '../../services/db/transaction.js';
import { prepareFact, submitFact } from '../../services/events/fact.service.js';
import { purchaseOrderKind } from '../../services/trade/index.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { purchaseOrderPayload } from './trade-fixtures.js';

const ledger = useTestLedger();

const workers = 16;
const ordersPerWorker = 6;

async function placeOrder(seller: TestParty, buyer: TestParty): Promise<string> {
  const payload = purchaseOrderPayload(buyer, seller, [
    { itemCode: 'GEAR-M4-40T', quantity: '1200', unitPrice: '38.50' },
  ]);
  const prepared = await prepareFact(ledger.ledger, seller.actor, purchaseOrderKind, payload, freshKey('po'));
  if (!prepared.ok) return prepared.code;
  const submitted = await submitFact(ledger.ledger, seller.actor, prepared.value.statement, null);
  return submitted.ok ? 'ok' : submitted.code;
}

describe('purchase orders from four sellers to one buyer, sixteen at a time', { timeout: 120_000 }, () => {
  it('all commit, none exhausts its retries, and under 1% of attempts roll back on a conflict', async () => {
    const buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
    const sellers = await Promise.all(
      [1, 2, 3, 4].map(() => ledger.newParty(['supplier'], { custodial: true })),
    );
    const before = structuredClone(transactionStats);
    const outcomes = await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        const seller = sellers[worker % sellers.length] as TestParty;
        const results: string[] = [];
        for (let order = 0; order < ordersPerWorker; order++) results.push(await placeOrder(seller, buyer));
        return results;
      }),
    );
    const attempts = transactionStats.attempts - before.attempts;
    const conflicts = transactionStats.retries.conflict - before.retries.conflict;

    expect(outcomes.flat()).toEqual(Array(workers * ordersPerWorker).fill('ok'));
    expect(transactionStats.exhausted - before.exhausted).toBe(0);
    expect(attempts).toBeGreaterThanOrEqual(workers * ordersPerWorker * 4);
    expect(conflicts / attempts).toBeLessThan(0.01);
    const { count } = await ledger.app.db
      .selectFrom('trade_document')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('buyer_party_id', '=', buyer.party.id)
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(workers * ordersPerWorker);
  });
});
