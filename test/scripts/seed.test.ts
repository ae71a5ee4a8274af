/**
 * `npm run seed` at toy size into this file's test database (as the application role, as a start
 * would): the ledger's invariants hold on every row, the same seed writes the same rows, a second
 * run is refused without --force, and the exposure SQL agrees with the in-memory reference.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SeedRefused, seedDatabase } from '../../scripts/seed/seed-database.js';
import { seedTierMax, supplyChain } from '../../scripts/seed/supply-chain.js';
import { exposure } from '../../services/exposure/exposure.service.js';
import { referenceExposure } from '../../services/exposure/exposure-reference.js';
import { toReceivable } from '../../services/receivables/receivable.repository.js';
import { useTestLedger } from '../support/ledger.js';

const t = useTestLedger();
const today = '2026-06-01';
const options = { parties: 200, receivables: 2000, seed: 7, today, batchReceivables: 500 };

async function one<T>(query: ReturnType<typeof sql<T>>): Promise<T> {
  const { rows } = await query.execute(t.owner.db);
  return rows[0] as T;
}

describe('npm run seed', { timeout: 120_000 }, () => {
  it('writes the chain with the ledger invariants, a history row per receivable', async () => {
    const outcome = await seedDatabase(t.ledger.db, t.ledger.platformPartyId, options);
    expect(outcome.counts.parties).toBe(200);
    expect(outcome.counts.receivables).toBe(2000);
    const counts = await one(sql<{
      parties: string;
      receivables: string;
      history: string;
      documents: string;
    }>`
      SELECT (SELECT count(*) FROM party)::TEXT AS parties, (SELECT count(*) FROM receivable)::TEXT AS receivables,
        (SELECT count(*) FROM receivable_history WHERE version = 0)::TEXT AS history,
        (SELECT count(*) FROM trade_document)::TEXT AS documents`);
    expect(counts).toEqual({
      parties: '201',
      receivables: '2000',
      history: '2000',
      documents: String(outcome.counts.invoices),
    });
    const broken = await one(sql<{
      history: string;
      children: string;
      tiers: string;
      negative: string;
      payments: string;
    }>`
      SELECT
        (SELECT count(*) FROM receivable r JOIN receivable_history h ON h.receivable_id = r.id AND h.version = 0
          WHERE h.recorded_at <> r.created_at OR h.status <> r.status OR h.outstanding_minor <> r.outstanding_minor
            OR h.on_hold <> r.on_hold)::TEXT AS history,
        (SELECT count(*) FROM receivable c JOIN receivable p ON p.id = c.parent_id
          WHERE c.tier <> p.tier + 1 OR c.obligor_party_id <> p.obligor_party_id OR c.currency <> p.currency
            OR c.due_date <> p.due_date OR c.invoice_id <> p.invoice_id OR c.root_id <> p.root_id)::TEXT AS children,
        (SELECT count(*) FROM receivable WHERE tier > ${seedTierMax})::TEXT AS tiers,
        (SELECT count(*) FROM receivable WHERE outstanding_minor < 0)::TEXT AS negative,
        (SELECT count(*) FROM payment p WHERE p.amount_minor <>
          (SELECT sum(a.amount_minor) FROM payment_allocation a WHERE a.payment_id = p.id))::TEXT AS payments`);
    expect(broken).toEqual({ history: '0', children: '0', tiers: '0', negative: '0', payments: '0' });
    // A parent's transferred amount is exactly its children's faces; settled is its allocations.
    const sums = await one(sql<{ transferred: string; settled: string; financed: string }>`
      SELECT
        (SELECT count(*) FROM receivable p WHERE p.transferred_minor <>
          COALESCE((SELECT sum(c.face_minor) FROM receivable c WHERE c.parent_id = p.id), 0))::TEXT AS transferred,
        (SELECT count(*) FROM receivable r WHERE r.settled_minor <>
          COALESCE((SELECT sum(a.amount_minor) FROM payment_allocation a WHERE a.receivable_id = r.id), 0))::TEXT AS settled,
        (SELECT count(*) FROM financing f JOIN receivable c ON c.id = f.child_receivable_id
          WHERE c.financed_by <> f.id OR c.holder_party_id <> f.lender_party_id OR c.face_minor <> f.amount_minor
            OR c.parent_id <> f.receivable_id)::TEXT AS financed`);
    expect(sums).toEqual({ transferred: '0', settled: '0', financed: '0' });
    const shape = await one(sql<{ financings: string; deepest: string; statuses: string }>`
      SELECT (SELECT count(*) FROM financing)::TEXT AS financings,
        (SELECT max(tier) FROM receivable)::TEXT AS deepest,
        (SELECT count(DISTINCT status) FROM receivable)::TEXT AS statuses`);
    expect(Number(shape.financings)).toBeGreaterThan(0);
    expect(Number(shape.deepest)).toBeGreaterThanOrEqual(3);
    expect(Number(shape.statuses)).toBe(4);
  });

  it('writes the same rows for the same seed, and refuses a second run without force', async () => {
    const first = supplyChain({ ...options, namespace: '' });
    const again = supplyChain({ ...options, namespace: '' });
    expect(again.layout).toEqual(first.layout);
    expect([...again.batches()]).toEqual([...first.batches()]);
    const stored = await t.owner.db
      .selectFrom('receivable')
      .select(['id', 'face_minor', 'status'])
      .orderBy('id')
      .execute();
    const generated = [...supplyChain({ ...options, namespace: '' }).batches()].flatMap(
      (batch) => batch.receivables,
    );
    expect(stored).toEqual(
      generated
        .map((r) => ({ id: r.id, face_minor: r.faceMinor, status: r.status }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    await expect(seedDatabase(t.ledger.db, t.ledger.platformPartyId, options)).rejects.toThrow(SeedRefused);
    await expect(seedDatabase(t.ledger.db, t.ledger.platformPartyId, options)).rejects.toThrow(
      /already holds 200 parties besides the platform operator/,
    );
  });

  it('gives the exposure SQL the answers of the in-memory reference', async () => {
    const rows = (await t.owner.db.selectFrom('receivable').selectAll().execute()).map(toReceivable);
    const cores = await t.owner.db
      .selectFrom('party')
      .select('id')
      .where(sql<boolean>`'core_enterprise' = ANY(roles)`)
      .execute();
    const suppliers = await t.owner.db
      .selectFrom('party')
      .select('id')
      .where('legal_name', 'like', 'Seed tier-3 supplier%')
      .limit(5)
      .execute();
    const now = new Date(`${today}T08:00:00Z`);
    for (const { id } of [...cores, ...suppliers]) {
      for (const direction of ['upstream', 'downstream'] as const) {
        const query = { partyId: id, direction, maxDepth: 4, currency: 'CNY' };
        const answer = await exposure(t.ledger, t.admin, query, now);
        if (!answer.ok) throw new Error(answer.message);
        expect(answer.value).toEqual(referenceExposure(rows, query, answer.value.overdueCutoff));
      }
    }
  });
});
