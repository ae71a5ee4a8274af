import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { findPartiesByIds } from '../parties/party.repository.js';
import { fingerprintInputOf, invoiceFingerprint } from './invoice-fingerprint.js';
import type { TradeDocument } from './trade-document.js';

/**
 * Writes the fingerprint of an invoice being confirmed, under `key` (the ledger's FINGERPRINT_KEY).
 * The key itself stays out of the database; without one, nothing is written.
 */
export async function recordInvoiceFingerprint(
  trx: Trx,
  key: Buffer | undefined,
  invoice: TradeDocument,
): Promise<void> {
  if (key === undefined) return;
  const parties = await findPartiesByIds(trx, [invoice.sellerPartyId, invoice.buyerPartyId]);
  const seller = parties.find((party) => party.id === invoice.sellerPartyId);
  const buyer = parties.find((party) => party.id === invoice.buyerPartyId);
  assert(
    seller !== undefined && buyer !== undefined,
    'recordInvoiceFingerprint: a party of the invoice is missing',
  );
  const fingerprint = invoiceFingerprint(
    key,
    fingerprintInputOf(invoice, { seller: seller.registrationId, buyer: buyer.registrationId }),
  );
  await trx.insertInto('invoice_fingerprint').values({ invoice_id: invoice.id, fingerprint }).execute();
}
