/**
 * Writes the seed's rows with one INSERT … SELECT FROM unnest(arrays) per table and batch, each batch
 * in one transaction (the retry helper's), so that a batch is all there or not at all. Events are
 * zero-signature statements by the platform, as the synthetic events of the benches: the seed writes
 * state, not signed history, and never through the API.
 */
import { sql } from 'kysely';
import { type Db, inTransaction, type Trx } from '../../services/db/transaction.js';
import type { SeedBatch, SeedParty } from './supply-chain.js';

export interface SeedActor {
  partyId: string;
  keyId: string;
}

const text = (values: readonly bigint[]) => values.map(String);

export async function writeParties(db: Db, parties: readonly SeedParty[], chunk = 20_000): Promise<void> {
  for (let start = 0; start < parties.length; start += chunk) {
    const slice = parties.slice(start, start + chunk);
    await inTransaction(db, async (trx) => {
      await sql`INSERT INTO party (id, legal_name, registration_scheme, registration_id, roles)
        SELECT id, legal_name, 'lei', registration_id, ARRAY[role]
        FROM unnest(${slice.map((p) => p.id)}::UUID[], ${slice.map((p) => p.legalName)}::TEXT[],
          ${slice.map((p) => p.registrationId)}::TEXT[], ${slice.map((p) => p.role)}::TEXT[])
          AS row (id, legal_name, registration_id, role)`.execute(trx);
    });
  }
}

async function writeEvents(trx: Trx, batch: SeedBatch, actor: SeedActor): Promise<void> {
  const { events } = batch;
  // The statement is canonical JSON (keys sorted, no spaces) naming the event; its hash is computed
  // by the server, as sha256(statement), which is what event_hash means.
  await sql`INSERT INTO event (id, kind, actor_party_id, counterparty_party_id, key_id, custodial, idempotency_key,
      request_hash, statement, event_hash, signature, payload, occurred_at)
    SELECT id, kind, ${actor.partyId}::UUID, NULL, ${actor.keyId}, false, 'seed-' || id::TEXT,
      sha256(statement), statement, sha256(statement), ${Buffer.alloc(64)}::BYTEA, '{}'::JSONB, occurred_at
    FROM (
      SELECT id, kind, occurred_at,
        convert_to('{"id":"' || id::TEXT || '","kind":"' || kind || '"}', 'UTF8') AS statement
      FROM unnest(${events.map((e) => e.id)}::UUID[], ${events.map((e) => e.kind)}::TEXT[],
        ${events.map((e) => e.at)}::TIMESTAMPTZ[]) AS row (id, kind, occurred_at)
    ) AS built`.execute(trx);
}

async function writeDocuments(trx: Trx, batch: SeedBatch): Promise<void> {
  const docs = batch.documents;
  await sql`INSERT INTO trade_document (id, kind, event_id, buyer_party_id, seller_party_id, currency,
      document_number, document_date, due_date, total_minor, status, body, created_at)
    SELECT id, 'invoice', event_id, buyer, seller, currency, number, document_date, due_date, total,
      'confirmed', jsonb_build_object('synthetic', true, 'documentNumber', number), created_at
    FROM unnest(${docs.map((d) => d.id)}::UUID[], ${docs.map((d) => d.eventId)}::UUID[],
      ${docs.map((d) => d.buyerPartyId)}::UUID[], ${docs.map((d) => d.sellerPartyId)}::UUID[],
      ${docs.map((d) => d.currency)}::TEXT[], ${docs.map((d) => d.documentNumber)}::TEXT[],
      ${docs.map((d) => d.documentDate)}::DATE[], ${docs.map((d) => d.dueDate)}::DATE[],
      ${text(docs.map((d) => d.totalMinor))}::INT8[], ${docs.map((d) => d.createdAt)}::TIMESTAMPTZ[])
      AS row (id, event_id, buyer, seller, currency, number, document_date, due_date, total, created_at)`.execute(
    trx,
  );
}

/** The receivables and, for each, its history row: version 0 as it stands, stamped when it was created. */
async function writeReceivables(trx: Trx, batch: SeedBatch): Promise<void> {
  const rows = batch.receivables;
  await sql`INSERT INTO receivable (id, invoice_id, parent_id, root_id, tier, obligor_party_id, holder_party_id,
      currency, face_minor, transferred_minor, settled_minor, credited_minor, due_date, status, on_hold,
      financed_by, created_event_id, created_at)
    SELECT id, invoice_id, parent_id, root_id, tier, obligor, holder, currency, face, transferred, settled, 0,
      due_date, status, on_hold, financed_by, created_event_id, created_at
    FROM unnest(${rows.map((r) => r.id)}::UUID[], ${rows.map((r) => r.invoiceId)}::UUID[],
      ${rows.map((r) => r.parentId)}::UUID[], ${rows.map((r) => r.rootId)}::UUID[],
      ${rows.map((r) => r.tier)}::INT8[], ${rows.map((r) => r.obligorPartyId)}::UUID[],
      ${rows.map((r) => r.holderPartyId)}::UUID[], ${rows.map((r) => r.currency)}::TEXT[],
      ${text(rows.map((r) => r.faceMinor))}::INT8[], ${text(rows.map((r) => r.transferredMinor))}::INT8[],
      ${text(rows.map((r) => r.settledMinor))}::INT8[], ${rows.map((r) => r.dueDate)}::DATE[],
      ${rows.map((r) => r.status)}::TEXT[], ${rows.map((r) => r.onHold)}::BOOL[],
      ${rows.map((r) => r.financedBy)}::UUID[], ${rows.map((r) => r.createdEventId)}::UUID[],
      ${rows.map((r) => r.createdAt)}::TIMESTAMPTZ[])
      AS row (id, invoice_id, parent_id, root_id, tier, obligor, holder, currency, face, transferred, settled,
        due_date, status, on_hold, financed_by, created_event_id, created_at)`.execute(trx);
  await sql`INSERT INTO receivable_history (receivable_id, version, recorded_at, status, outstanding_minor, on_hold)
    SELECT id, 0, created_at, status, outstanding, on_hold
    FROM unnest(${rows.map((r) => r.id)}::UUID[], ${rows.map((r) => r.createdAt)}::TIMESTAMPTZ[],
      ${rows.map((r) => r.status)}::TEXT[],
      ${text(rows.map((r) => r.faceMinor - r.transferredMinor - r.settledMinor))}::INT8[],
      ${rows.map((r) => r.onHold)}::BOOL[]) AS row (id, created_at, status, outstanding, on_hold)`.execute(
    trx,
  );
}

async function writePayments(trx: Trx, batch: SeedBatch): Promise<void> {
  const payments = batch.payments;
  if (payments.length === 0) return;
  await sql`INSERT INTO payment (id, invoice_id, event_id, payer_party_id, currency, amount_minor, paid_on, created_at)
    SELECT * FROM unnest(${payments.map((p) => p.id)}::UUID[], ${payments.map((p) => p.invoiceId)}::UUID[],
      ${payments.map((p) => p.eventId)}::UUID[], ${payments.map((p) => p.payerPartyId)}::UUID[],
      ${payments.map((p) => p.currency)}::TEXT[], ${text(payments.map((p) => p.amountMinor))}::INT8[],
      ${payments.map((p) => p.paidOn)}::DATE[], ${payments.map((p) => p.createdAt)}::TIMESTAMPTZ[])`.execute(
    trx,
  );
  const allocations = payments.flatMap((p) => p.allocations.map((a) => ({ ...a, paymentId: p.id })));
  await sql`INSERT INTO payment_allocation (payment_id, receivable_id, holder_party_id, amount_minor)
    SELECT * FROM unnest(${allocations.map((a) => a.paymentId)}::UUID[],
      ${allocations.map((a) => a.receivableId)}::UUID[], ${allocations.map((a) => a.holderPartyId)}::UUID[],
      ${text(allocations.map((a) => a.amountMinor))}::INT8[])`.execute(trx);
}

/** Disbursed financings as financing.disbursed leaves them: the request, its accepted offer, the lender asked. */
async function writeFinancings(trx: Trx, batch: SeedBatch): Promise<void> {
  const list = batch.financings;
  if (list.length === 0) return;
  const ids = list.map((f) => f.id);
  const lenders = list.map((f) => f.lenderPartyId);
  await sql`INSERT INTO financing (id, receivable_id, root_id, invoice_id, holder_party_id, obligor_party_id,
      currency, amount_minor, status, expires_at, requested_event_id, accepted_offer_id, lender_party_id,
      child_receivable_id, payment_reference, disbursed_event_id, created_at)
    SELECT id, receivable_id, root_id, invoice_id, holder, obligor, currency, amount, 'disbursed',
      created_at + INTERVAL '7 days', requested_event_id, offer_id, lender, child_id,
      'SEED-' || substr(id::TEXT, 25), disbursed_event_id, created_at
    FROM unnest(${ids}::UUID[], ${list.map((f) => f.parent.id)}::UUID[], ${list.map((f) => f.parent.rootId)}::UUID[],
      ${list.map((f) => f.parent.invoiceId)}::UUID[], ${list.map((f) => f.parent.holderPartyId)}::UUID[],
      ${list.map((f) => f.parent.obligorPartyId)}::UUID[], ${list.map((f) => f.parent.currency)}::TEXT[],
      ${text(list.map((f) => f.child.faceMinor))}::INT8[], ${list.map((f) => f.requestedEventId)}::UUID[],
      ${list.map((f) => f.offerId)}::UUID[], ${lenders}::UUID[], ${list.map((f) => f.child.id)}::UUID[],
      ${list.map((f) => f.disbursedEventId)}::UUID[], ${list.map((f) => f.createdAt)}::TIMESTAMPTZ[])
      AS row (id, receivable_id, root_id, invoice_id, holder, obligor, currency, amount, requested_event_id,
        offer_id, lender, child_id, disbursed_event_id, created_at)`.execute(trx);
  await sql`INSERT INTO financing_lender (financing_id, lender_party_id)
    SELECT * FROM unnest(${ids}::UUID[], ${lenders}::UUID[])`.execute(trx);
  await sql`INSERT INTO financing_response (id, financing_id, lender_party_id, kind, status, rate_micros, day_count,
      fee_minor, advance_date, days, discount_minor, advance_minor, report_hash, event_id, created_at)
    SELECT id, financing_id, lender, 'offer', 'accepted', rate, 'act_360', 0, advance_date, days, discount,
      amount - discount, 'seed', event_id, created_at + INTERVAL '1 hour'
    FROM unnest(${list.map((f) => f.offerId)}::UUID[], ${ids}::UUID[], ${lenders}::UUID[],
      ${text(list.map((f) => f.rateMicros))}::INT8[], ${list.map((f) => f.advanceDate)}::DATE[],
      ${list.map((f) => f.days)}::INT8[], ${text(list.map((f) => f.discountMinor))}::INT8[],
      ${text(list.map((f) => f.child.faceMinor))}::INT8[], ${list.map((f) => f.offerEventId)}::UUID[],
      ${list.map((f) => f.createdAt)}::TIMESTAMPTZ[])
      AS row (id, financing_id, lender, rate, advance_date, days, discount, amount, event_id, created_at)`.execute(
    trx,
  );
  const roots = batch.financedRoots;
  await sql`INSERT INTO financed_root (root_id, face_minor, financed_minor)
    SELECT * FROM unnest(${roots.map((r) => r.rootId)}::UUID[], ${text(roots.map((r) => r.faceMinor))}::INT8[],
      ${text(roots.map((r) => r.financedMinor))}::INT8[])`.execute(trx);
}

/** One batch, all of it or none. */
export async function writeBatch(db: Db, batch: SeedBatch, actor: SeedActor): Promise<void> {
  await inTransaction(db, async (trx) => {
    await writeEvents(trx, batch, actor);
    await writeDocuments(trx, batch);
    await writeReceivables(trx, batch);
    await writePayments(trx, batch);
    await writeFinancings(trx, batch);
  });
}
