/**
 * What a financing request opens: each lender asked reads the receivable and its lineage (and so the
 * bundle and report built on findVisibleReceivable) while the request is open; after a withdrawal, an
 * expiry or another lender's acceptance it reads nothing again, unless it financed a part, which it
 * then holds and sees for good. A lender not asked gains nothing.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordFact } from '../../services/events/fact.service.js';
import {
  findReceivableLineage,
  findVisibleReceivable,
  listReceivablesByHolder,
} from '../../services/receivables/index.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  accept,
  confirmedReceivable,
  disburse,
  financingRow,
  offer,
  recorded,
  requestFinancing,
  storeReport,
  transfer,
} from './support.js';

const t = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let tier1: TestParty;
let asked: TestParty;
let alsoAsked: TestParty;
let notAsked: TestParty;

const page = { after: null, before: null, limit: 50, inverted: false };

beforeAll(async () => {
  seller = await t.newParty(['supplier'], { custodial: true });
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  tier1 = await t.newParty(['supplier'], { custodial: true });
  asked = await t.newParty(['lender'], { custodial: true });
  alsoAsked = await t.newParty(['lender'], { custodial: true });
  notAsked = await t.newParty(['lender'], { custodial: true });
});

async function sees(lender: TestParty, receivableId: string): Promise<boolean> {
  const found = await findVisibleReceivable(t.ledger, lender.actor, receivableId);
  const lineage = await findReceivableLineage(t.ledger, lender.actor, receivableId);
  expect(lineage.ok).toBe(found.ok);
  return found.ok;
}

/** A tier-1 part of a fresh invoice, held by tier1. */
async function part(): Promise<{ rootId: string; partId: string }> {
  const { rootId } = await confirmedReceivable(t, seller, buyer, { total: '1000.00' });
  return { rootId, partId: await transfer(t, seller, rootId, tier1, '600.00') };
}

describe('a financing request', () => {
  it('lets the lenders asked read the tree while it is open, and nobody else', async () => {
    const { rootId, partId } = await part();
    expect(await sees(asked, partId)).toBe(false);
    const financingId = await requestFinancing(t, tier1, partId, [asked, alsoAsked], '600.00');
    expect(await sees(asked, partId)).toBe(true);
    expect(await sees(asked, rootId)).toBe(true);
    expect(await sees(alsoAsked, partId)).toBe(true);
    expect(await sees(notAsked, partId)).toBe(false);
    const lineage = await findReceivableLineage(t.ledger, asked.actor, partId);
    expect(lineage.ok && lineage.value.ancestors.map((node) => node.id)).toEqual([rootId]);
    const listed = await listReceivablesByHolder(t.ledger, asked.actor, tier1.party.id, page);
    expect(listed.map((receivable) => receivable.id)).toContain(partId);
    const unseen = await listReceivablesByHolder(t.ledger, notAsked.actor, tier1.party.id, page);
    expect(unseen).toEqual([]);
    await recorded(t, tier1, 'financing.withdrawn', { financingId });
    expect(await sees(asked, partId)).toBe(false);
    expect(await sees(alsoAsked, rootId)).toBe(false);
  });

  it('closes to the other lenders on acceptance, and stays open for good to the lender that financed', async () => {
    const { rootId, partId } = await part();
    const financingId = await requestFinancing(t, tier1, partId, [asked, alsoAsked], '300.00');
    const offerId = await offer(t, asked, financingId, await storeReport(t, partId));
    await accept(t, tier1, financingId, offerId);
    expect(await sees(asked, partId)).toBe(true);
    expect(await sees(alsoAsked, partId)).toBe(false);
    await disburse(t, asked, financingId, '300.00');
    expect(await sees(asked, rootId)).toBe(true);
    expect(await sees(asked, partId)).toBe(true);
    expect(await sees(notAsked, partId)).toBe(false);
  });

  it('closes when it lapses, and a new request marks the lapsed one expired', async () => {
    const { partId } = await part();
    const short = { ...t.ledger, policy: { ...t.ledger.policy, financingRequestTtlHours: 1 / 3600 } };
    const lapsedId = randomUUID();
    const requested = await recordFact(
      short,
      tier1.actor,
      'financing.requested',
      { financingId: lapsedId, receivableId: partId, lenderPartyIds: [asked.party.id], amount: '100.00' },
      freshKey('request'),
    );
    if (!requested.ok) throw new Error(requested.message);
    expect(await sees(asked, partId)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await sees(asked, partId)).toBe(false);
    // A lapsed request no longer holds the receivable: it may be transferred or asked about again.
    const next = await requestFinancing(t, tier1, partId, [alsoAsked], '100.00');
    expect((await financingRow(t, lapsedId)).status).toBe('expired');
    expect((await financingRow(t, next)).status).toBe('requested');
    expect(await sees(alsoAsked, partId)).toBe(true);
    expect(await sees(asked, partId)).toBe(false);
  });
});
