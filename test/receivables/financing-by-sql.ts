/**
 * A financing written straight into the financing tables, as the financing flow (services/financing)
 * leaves one: for the fingerprint and post-funding tests, which need a financing in a given state and
 * not the flow that makes it. A disbursed one names the lender's child receivable, which carries
 * financed_by; the child is passed on by an ordinary transfer here.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TestLedger } from '../support/ledger.js';
import { receivableById } from './support.js';

export async function insertFinancing(
  t: TestLedger,
  options: {
    receivableId: string;
    lenderPartyId: string;
    amountMinor: bigint;
    status: 'requested' | 'accepted' | 'disbursed';
    /** The lender's part, required when disbursed. */
    childReceivableId?: string;
  },
): Promise<string> {
  const receivable = await receivableById(t, options.receivableId);
  const id = randomUUID();
  const disbursed = options.status === 'disbursed';
  await t.owner.db
    .insertInto('financing')
    .values({
      id,
      receivable_id: receivable.id,
      root_id: receivable.rootId,
      invoice_id: receivable.invoiceId,
      holder_party_id: receivable.holderPartyId,
      obligor_party_id: receivable.obligorPartyId,
      currency: receivable.currency,
      amount_minor: options.amountMinor,
      status: options.status,
      expires_at: new Date(Date.now() + 86_400_000),
      requested_event_id: randomUUID(),
      accepted_offer_id: options.status === 'requested' ? null : randomUUID(),
      lender_party_id: options.status === 'requested' ? null : options.lenderPartyId,
      child_receivable_id: disbursed ? (options.childReceivableId ?? null) : null,
      disbursed_event_id: disbursed ? randomUUID() : null,
    })
    .execute();
  if (disbursed && options.childReceivableId !== undefined) {
    // financed_by is written once, by the disbursement; kysely's types forbid updating it elsewhere.
    await sql`UPDATE receivable SET financed_by = ${id} WHERE id = ${options.childReceivableId}`.execute(
      t.owner.db,
    );
  }
  return id;
}
