/**
 * Seeds a migrated database that holds the platform operator: the synthetic supply chain of
 * supply-chain.ts, written batch by batch. Refuses a database that already holds other parties unless
 * told to add to them (force): seeded data mixed into a real ledger cannot be told apart by its rows.
 */
import { sql } from 'kysely';
import type { Db } from '../../services/db/transaction.js';
import type { Progress } from './progress.js';
import { type SeedLayout, type SeedPlan, supplyChain } from './supply-chain.js';
import { type SeedActor, writeBatch, writeParties } from './write.js';

export interface SeedOptions {
  parties: number;
  receivables: number;
  seed: number;
  force?: boolean;
  /** YYYY-MM-DD; default today (UTC). Fixed, it makes the rows the same on every day. */
  today?: string;
  batchReceivables?: number;
}

export interface SeedOutcome {
  layout: SeedLayout;
  counts: {
    parties: number;
    receivables: number;
    invoices: number;
    payments: number;
    financings: number;
    events: number;
  };
  seconds: number;
}

export class SeedRefused extends Error {}

async function platformActor(db: Db, platformPartyId: string): Promise<SeedActor> {
  const key = await db
    .selectFrom('party_key')
    .select('key_id')
    .where('party_id', '=', platformPartyId)
    .orderBy('key_id')
    .executeTakeFirst();
  if (key === undefined)
    throw new SeedRefused('the platform operator has no key: start the ledger once first');
  return { partyId: platformPartyId, keyId: key.key_id };
}

export async function seedDatabase(
  db: Db,
  platformPartyId: string,
  options: SeedOptions,
  progress?: (total: number) => Progress,
): Promise<SeedOutcome> {
  const startedMs = Date.now();
  const actor = await platformActor(db, platformPartyId);
  const { others } = await sql<{ others: string }>`SELECT count(*)::TEXT AS others FROM party
    WHERE id <> ${platformPartyId}::UUID`
    .execute(db)
    .then((result) => result.rows[0] ?? { others: '0' });
  if (Number(others) > 0 && !options.force) {
    throw new SeedRefused(
      `the database already holds ${others} parties besides the platform operator: seed an empty ledger, ` +
        'or pass --force to add a second synthetic chain beside them',
    );
  }
  const plan: SeedPlan = {
    parties: options.parties,
    receivables: options.receivables,
    seed: options.seed,
    today: options.today ?? new Date().toISOString().slice(0, 10),
    // Ids and registration ids of a second run differ from the first's (and from each other's).
    namespace: Number(others) > 0 ? others : '',
    batchReceivables: options.batchReceivables ?? 10_000,
  };
  const chain = supplyChain(plan);
  await writeParties(db, chain.layout.parties);
  const counts = {
    parties: chain.layout.parties.length,
    receivables: 0,
    invoices: 0,
    payments: 0,
    financings: 0,
    events: 0,
  };
  const bar = progress?.(options.receivables);
  // Generation of the next batch overlaps the database writing the previous one.
  let pending: Promise<void> = Promise.resolve();
  for (const batch of chain.batches()) {
    await pending;
    bar?.advance(counts.receivables);
    counts.receivables += batch.receivables.length;
    counts.invoices += batch.documents.length;
    counts.payments += batch.payments.length;
    counts.financings += batch.financings.length;
    counts.events += batch.events.length;
    pending = writeBatch(db, batch, actor);
  }
  await pending;
  bar?.advance(counts.receivables);
  bar?.finish();
  // Statistics for the planner, and the visibility map that lets the claim indexes answer alone
  // (index-only scans). Only the tables' owner may: as the application role it is skipped, with a
  // warning, and autovacuum does it later.
  await sql`VACUUM (ANALYZE) party, event, trade_document, receivable, receivable_history, payment,
    payment_allocation, financing, financing_lender, financing_response, financed_root`.execute(db);
  return { layout: chain.layout, counts, seconds: (Date.now() - startedMs) / 1000 };
}
