/**
 * Claim graphs written straight into the receivable table as the schema owner: parties in one insert,
 * receivables in one insert per tier. Every receivable hangs off one real invoice and its event (the
 * foreign keys want them); the exposure walk reads only holder, obligor, currency and amounts.
 */
import { randomUUID } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import type { ReceivableStatus, ReceivableTable } from '../../schema/database.js';
import type { ClaimSourceRow } from '../../services/exposure/exposure-reference.js';
import { issueInvoice } from '../receivables/support.js';
import { freshUscc } from '../support/fixtures.js';
import type { TestLedger } from '../support/ledger.js';

export interface ClaimSpec {
  holder: string;
  obligor: string;
  faceMinor: bigint;
  currency?: string;
  status?: ReceivableStatus;
  settledMinor?: bigint;
  creditedMinor?: bigint;
  transferredMinor?: bigint;
  dueDate?: string;
  onHold?: boolean;
  /** The receivable this one was split from (same obligor and currency); tier follows from it. */
  parentId?: string;
  id?: string;
}

export interface ClaimWorld {
  invoiceId: string;
  eventId: string;
}

export async function claimWorld(t: TestLedger): Promise<ClaimWorld> {
  const seller = await t.newParty(['supplier'], { custodial: true });
  const buyer = await t.newParty(['core_enterprise'], { custodial: true });
  const invoiceId = await issueInvoice(t, seller, buyer);
  const document = await t.owner.db
    .selectFrom('trade_document')
    .select('event_id')
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  return { invoiceId, eventId: document.event_id };
}

/** `count` supplier parties, one insert; returns their ids. */
export async function insertParties(t: TestLedger, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await t.owner.db
    .insertInto('party')
    .values(
      ids.map((id) => ({
        id,
        legal_name: `exposure party ${id.slice(0, 8)}`,
        registration_scheme: 'uscc' as const,
        registration_id: freshUscc(),
        roles: ['supplier' as const],
        parent_party_id: null,
      })),
    )
    .execute();
  return ids;
}

// Parents may be written by an earlier call: their tiers and roots are remembered by id.
const tierOf = new Map<string, number>();
const rootOf = new Map<string, string>();

/** The rows as the walk should see them (outstanding from the amounts), ids filled in. */
export function sourceRows(specs: readonly ClaimSpec[]): (ClaimSourceRow & { id: string })[] {
  return specs.map((spec) => {
    const id = spec.id ?? randomUUID();
    spec.id = id;
    const tier = spec.parentId === undefined ? 0 : (tierOf.get(spec.parentId) ?? -1) + 1;
    if (tier < 0) throw new Error('claim spec: a parent must come before its part');
    tierOf.set(id, tier);
    return {
      id,
      holderPartyId: spec.holder,
      obligorPartyId: spec.obligor,
      currency: spec.currency ?? 'CNY',
      status: spec.status ?? 'open',
      outstandingMinor:
        spec.faceMinor -
        (spec.settledMinor ?? 0n) -
        (spec.creditedMinor ?? 0n) -
        (spec.transferredMinor ?? 0n),
      dueDate: spec.dueDate ?? '2025-09-01',
      onHold: spec.onHold ?? false,
      tier,
    };
  });
}

/** Writes the claims, parents before parts; returns the rows as sourceRows() gives them. */
export async function insertClaims(t: TestLedger, world: ClaimWorld, specs: readonly ClaimSpec[]) {
  const rows = sourceRows(specs);
  const byTier = new Map<number, Insertable<ReceivableTable>[]>();
  rows.forEach((row, index) => {
    const spec = specs[index];
    if (spec === undefined) return;
    const rootId = spec.parentId === undefined ? row.id : (rootOf.get(spec.parentId) ?? row.id);
    rootOf.set(row.id, rootId);
    const values: Insertable<ReceivableTable> = {
      id: row.id,
      invoice_id: world.invoiceId,
      parent_id: spec.parentId ?? null,
      root_id: rootId,
      tier: BigInt(row.tier),
      obligor_party_id: row.obligorPartyId,
      holder_party_id: row.holderPartyId,
      currency: row.currency,
      face_minor: spec.faceMinor,
      transferred_minor: spec.transferredMinor ?? 0n,
      settled_minor: spec.settledMinor ?? 0n,
      credited_minor: spec.creditedMinor ?? 0n,
      due_date: row.dueDate,
      status: row.status,
      on_hold: row.onHold,
      financing_id: null,
      created_event_id: world.eventId,
    };
    byTier.set(row.tier, [...(byTier.get(row.tier) ?? []), values]);
  });
  for (const tier of [...byTier.keys()].sort((a, b) => a - b)) {
    const batch = byTier.get(tier) ?? [];
    for (let start = 0; start < batch.length; start += 1000) {
      const slice = batch.slice(start, start + 1000);
      await t.owner.db.insertInto('receivable').values(slice).execute();
      // Their history, as the ledger's own writes keep it: the state since creation.
      await sql`
        INSERT INTO receivable_history (receivable_id, version, recorded_at, status, outstanding_minor, on_hold)
        SELECT id, version, created_at, status, outstanding_minor, on_hold FROM receivable
        WHERE id IN (${sql.join(slice.map((row) => row.id))})`.execute(t.owner.db);
    }
  }
  return rows;
}
