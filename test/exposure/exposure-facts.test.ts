/**
 * exposure() over receivables made by the facts themselves (confirmation, transfers, payment), not
 * written by SQL: the parts a transfer splits off are claims on the buyer, at their tiers.
 */
import { describe, expect, it } from 'vitest';
import { exposure } from '../../services/exposure/exposure.service.js';
import { confirm, issueInvoice, pay, transfer } from '../receivables/support.js';
import { useTestLedger } from '../support/ledger.js';

const t = useTestLedger();

describe('exposure over receivables the facts made', () => {
  it('counts each part passed on as a claim on the buyer until the buyer pays', async () => {
    const buyer = await t.newParty(['core_enterprise'], { custodial: true });
    const [s1, tier2, tier3] = await Promise.all(
      [1, 2, 3].map(() => t.newParty(['supplier'], { custodial: true })),
    );
    if (!s1 || !tier2 || !tier3) throw new Error('setup');
    const invoiceId = await issueInvoice(t, s1, buyer, { total: '1000.00' });
    const root = await confirm(t, buyer, invoiceId);
    const part = await transfer(t, s1, root, tier2, '400.00');
    await transfer(t, tier2, part, tier3, '150.00');
    const upstream = async () => {
      const answer = await exposure(t.ledger, buyer.actor, {
        partyId: buyer.party.id,
        direction: 'upstream',
        maxDepth: 3,
        currency: 'CNY',
      });
      if (!answer.ok) throw new Error(answer.message);
      return answer.value;
    };
    const before = await upstream();
    const row = (party: { party: { id: string } }) => before.rows.find((r) => r.partyId === party.party.id);
    // The invoice fell due on 2025-04-10: every claim is overdue by now.
    expect(row(s1)).toMatchObject({ depth: 1, directClaimMinor: 60000n, overdueMinor: 60000n, tierMax: 0 });
    expect(row(tier2)).toMatchObject({
      depth: 1,
      directClaimMinor: 25000n,
      overdueMinor: 25000n,
      tierMax: 1,
    });
    expect(row(tier3)).toMatchObject({
      depth: 1,
      directClaimMinor: 15000n,
      overdueMinor: 15000n,
      tierMin: 2,
    });
    expect(before.totals).toEqual([
      expect.objectContaining({ depth: 1, partyCount: 3, claimMinor: 100000n }),
    ]);

    await pay(t, buyer, invoiceId, '1000.00');
    expect((await upstream()).rows).toEqual([]);
  });

  it('answers as the ledger stood before and after a transfer and a payment, and asOf now as today', async () => {
    const buyer = await t.newParty(['core_enterprise'], { custodial: true });
    const [s1, tier2] = await Promise.all([1, 2].map(() => t.newParty(['supplier'], { custodial: true })));
    if (!s1 || !tier2) throw new Error('setup');
    const instant = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const at = new Date();
      await new Promise((resolve) => setTimeout(resolve, 5));
      return at;
    };
    const invoiceId = await issueInvoice(t, s1, buyer, { total: '1000.00' });
    const beforeConfirmation = await instant();
    const root = await confirm(t, buyer, invoiceId);
    const beforeTransfer = await instant();
    await transfer(t, s1, root, tier2, '400.00');
    const beforePayment = await instant();
    await pay(t, buyer, invoiceId, '1000.00');
    const upstream = async (asOf: Date | null) => {
      const answer = await exposure(t.ledger, buyer.actor, {
        partyId: buyer.party.id,
        direction: 'upstream',
        maxDepth: 3,
        currency: 'CNY',
        asOf,
      });
      if (!answer.ok) throw new Error(answer.message);
      return answer.value.rows.map((row) => [row.partyId, row.directClaimMinor, row.tierMin, row.tierMax]);
    };
    expect(await upstream(beforeConfirmation)).toEqual([]);
    expect(await upstream(beforeTransfer)).toEqual([[s1.party.id, 100_000n, 0, 0]]);
    expect(new Map((await upstream(beforePayment)).map((row) => [row[0], row.slice(1)]))).toEqual(
      new Map([
        [s1.party.id, [60_000n, 0, 0]],
        [tier2.party.id, [40_000n, 1, 1]],
      ]),
    );
    expect(await upstream(null)).toEqual([]);
    expect(await upstream(new Date())).toEqual([]);
  });

  it('refuses an asOf after the server time', async () => {
    const answer = await exposure(t.ledger, t.admin, {
      partyId: t.admin.partyId,
      direction: 'upstream',
      maxDepth: 1,
      currency: 'CNY',
      asOf: new Date(Date.now() + 60_000),
    });
    expect(answer).toMatchObject({ ok: false, code: 'invalid_input', field: 'asOf' });
  });
});
