/**
 * Every expected failure the ledger can report, in one closed list. Codes state a fact in snake_case;
 * `retryable` says whether the same request may succeed later without change.
 */
export const errorCatalogue = {
  invalid_input: { retryable: false, description: 'An input field is malformed or out of range.' },
  forbidden: { retryable: false, description: 'The caller may not do this.' },
  conflict_retry_exhausted: {
    retryable: true,
    description: 'Concurrent requests kept conflicting; nothing was written. Send the same request again.',
  },
  database_unavailable: {
    retryable: true,
    description: 'The database could not be reached; nothing was written. Send the same request again.',
  },
  verification_unavailable: {
    retryable: true,
    description:
      'A signature could not be checked (a verifier thread stopped); nothing was written. Send the same request again.',
  },
  idempotency_key_reused: {
    retryable: false,
    description: 'The idempotency key was used before for a different request.',
  },
  registration_id_invalid_format: {
    retryable: false,
    description: 'Not a USCC (18 chars) or an LEI (20 chars).',
  },
  registration_id_check_failed: { retryable: false, description: 'The check character(s) do not match.' },
  registration_id_taken: { retryable: false, description: 'Another party has this registration id.' },
  party_not_found: { retryable: false, description: 'No party with that id.' },
  parent_party_not_found: { retryable: false, description: 'The declared parent company is not registered.' },
  public_key_invalid: { retryable: false, description: 'Not a 32-byte Ed25519 public key.' },
  key_already_registered: { retryable: false, description: 'That public key is registered already.' },
  key_not_found: { retryable: false, description: 'No signing key with that id.' },
  key_already_revoked: { retryable: false, description: 'The key was revoked already.' },
  proof_of_possession_required: {
    retryable: false,
    description:
      'A self-held key needs a proof of possession (proofOfPossession): its signature of the statement hash.',
  },
  proof_of_possession_invalid: {
    retryable: false,
    description:
      "The proof of possession (proofOfPossession) does not verify with the new key over the statement's hash.",
  },
  current_key_signature_required: {
    retryable: false,
    description: 'The active key is self-held: it must sign the key addition (currentKeySignature).',
  },
  current_key_signature_invalid: {
    retryable: false,
    description: "currentKeySignature does not verify with the party's active key.",
  },
  key_recovery_required: {
    retryable: false,
    description: 'The last key was self-held and none is active: only an administrator recovery adds a key.',
  },
  key_recovery_not_found: { retryable: false, description: 'No key recovery request with that id.' },
  key_recovery_not_pending: {
    retryable: false,
    description: "The recovery was approved already, or the party's keys changed since it was requested.",
  },
  custody_unavailable: { retryable: false, description: 'Custodial keys need CUSTODY_KEY configured.' },
  no_custodial_key: { retryable: false, description: 'The party has no active custodial key.' },
  api_key_not_found: { retryable: false, description: 'No API key with that id.' },
  api_key_already_revoked: { retryable: false, description: 'The API key was revoked already.' },
  envelope_invalid: { retryable: false, description: 'The event envelope is malformed.' },
  actor_not_found: { retryable: false, description: 'The acting party is not registered.' },
  actor_has_no_active_key: { retryable: false, description: 'The acting party has no active signing key.' },
  signature_invalid: {
    retryable: false,
    description: "The signature does not verify against the actor's active key.",
  },
  counterparty_not_found: { retryable: false, description: 'The counterparty is not registered.' },
  counterparty_role_invalid: {
    retryable: false,
    description: 'A party the input names does not hold a role this step allows it (or is the obligor).',
  },
  occurred_at_out_of_window: {
    retryable: false,
    description: "The statement's occurredAt is too far from the server's time: prepare it again.",
  },
  chain_head_moved: {
    retryable: true,
    description:
      'Another fact about the same invoice was recorded after the statement was prepared: prepare it again and sign the new one.',
  },
  ref_not_found: { retryable: false, description: 'A referenced event does not exist.' },
  // Trade documents (services/trade).
  document_not_found: { retryable: false, description: 'A referenced trade document does not exist.' },
  document_id_taken: { retryable: false, description: 'A trade document with this id exists already.' },
  document_kind_mismatch: { retryable: false, description: 'A referenced document is of the wrong kind.' },
  document_parties_mismatch: {
    retryable: false,
    description: 'A referenced document belongs to another buyer or seller.',
  },
  document_chain_mismatch: {
    retryable: false,
    description: 'A referenced document belongs to another purchase order.',
  },
  currency_mismatch: { retryable: false, description: 'The currency differs from the rest of the chain.' },
  dates_out_of_order: {
    retryable: false,
    description: 'Dates must run order <= shipment <= receipt <= invoice <= due date.',
  },
  item_not_on_order: {
    retryable: false,
    description: 'A line names an item the purchase order does not have.',
  },
  quantity_exceeds_ordered: { retryable: false, description: 'More shipped or received than ordered.' },
  quantity_exceeds_received: {
    retryable: false,
    description: 'More invoiced than received on the referenced goods receipts.',
  },
  invoice_total_mismatch: { retryable: false, description: 'The invoice total is not the sum of its lines.' },
  tax_invoice_number_taken: {
    retryable: false,
    description: 'The seller used this tax invoice number already.',
  },
  tenor_exceeds_limit: { retryable: false, description: 'The due date is too long after the issue date.' },
  // Receivables and settlement (services/receivables).
  invoice_not_found: { retryable: false, description: 'No invoice with that id.' },
  invoice_already_confirmed: { retryable: false, description: 'The invoice was confirmed already.' },
  invoice_not_confirmed: { retryable: false, description: 'The invoice has not been confirmed.' },
  invoice_cancelled: { retryable: false, description: 'The invoice was cancelled.' },
  receivable_not_found: { retryable: false, description: 'No receivable with that id.' },
  receivable_on_hold: {
    retryable: false,
    description: 'The receivable is on hold after a cancellation or credit note.',
  },
  receivable_under_financing: { retryable: false, description: 'The receivable is being financed.' },
  receivable_settled: { retryable: false, description: 'The receivable is settled.' },
  receivable_defaulted: { retryable: false, description: 'The receivable is in default.' },
  amount_exceeds_outstanding: {
    retryable: false,
    description: 'The amount is more than what is outstanding.',
  },
  no_hold_to_resolve: { retryable: false, description: 'Nothing is on hold for that invoice.' },
  // Financing and credit limits (services/financing).
  receivable_overdue: {
    retryable: false,
    description: 'The receivable is past its due date (plus the grace days): it cannot be financed.',
  },
  receivable_already_financed: {
    retryable: false,
    description:
      "The receivable is a lender's financed part, or financing it would take the financed total of its root beyond the root's face.",
  },
  financing_not_found: {
    retryable: false,
    description: 'No financing with that id that the caller may see.',
  },
  financing_expired: {
    retryable: false,
    description: 'The financing request lapsed (FINANCING_REQUEST_TTL_HOURS): the holder may ask again.',
  },
  financing_closed: {
    retryable: false,
    description: 'The financing was withdrawn, declined or expired: nothing more can be stated on it.',
  },
  financing_already_accepted: {
    retryable: false,
    description:
      'An offer on this financing was accepted already: it takes no more offers, declines or acceptances.',
  },
  financing_not_accepted: {
    retryable: false,
    description: 'No offer on this financing has been accepted yet: nothing can be disbursed.',
  },
  financing_already_disbursed: { retryable: false, description: 'The financing was disbursed already.' },
  financing_not_disbursed: {
    retryable: false,
    description: 'The financing has not been disbursed (or had not been at asOf): no funds to trace.',
  },
  lender_not_asked: {
    retryable: false,
    description:
      'The lender is not one of those the request asked, or not the lender whose offer was accepted.',
  },
  financing_already_answered: {
    retryable: false,
    description: 'The lender has already offered or declined on this request: one answer per lender.',
  },
  offer_not_found: { retryable: false, description: 'No open offer with that id on this financing.' },
  report_not_found: {
    retryable: false,
    description: 'No stored verification report of this receivable has that hash.',
  },
  advance_not_positive: {
    retryable: false,
    description: 'Discount plus fee take the whole amount: the advance must be more than zero.',
  },
  credit_limit_exceeded: {
    retryable: false,
    description:
      "The amount is more than what remains of the lender's credit limit on the obligor or its group.",
  },
  disbursement_amount_mismatch: {
    retryable: false,
    description: 'A disbursement pays exactly the financed amount.',
  },
  // The Merkle log (services/ledger).
  event_not_found: { retryable: false, description: 'No event with that id that the caller may see.' },
  event_not_anchored: {
    retryable: true,
    description: 'The event is not in the log yet; it will be within seconds.',
  },
  checkpoint_not_found: { retryable: false, description: 'No checkpoint of that tree size.' },
  witness_not_found: { retryable: false, description: 'No witness with that id for the caller.' },
  cosignature_invalid: {
    retryable: false,
    description: 'The cosignature does not verify with the witness key.',
  },
  witness_already_registered: {
    retryable: false,
    description: 'A witness with that name or public key is registered already.',
  },
  // Verification reports (services/verify).
  verification_report_not_found: {
    retryable: false,
    description: 'No verification report with that hash that the caller may read.',
  },
  // Party webhooks (services/webhooks).
  webhook_url_invalid: {
    retryable: false,
    description:
      'The webhook URL is not an absolute http(s) URL without credentials, or names an address the server may not call.',
  },
  webhook_limit_reached: {
    retryable: false,
    description: 'The party has as many webhooks as allowed: remove one first.',
  },
  webhook_not_found: { retryable: false, description: 'No live webhook of the caller with that id.' },
  webhook_delivery_not_found: {
    retryable: false,
    description: 'No webhook delivery of the caller with that id.',
  },
  webhook_delivery_not_dead: {
    retryable: false,
    description: 'Only a dead delivery (attempts used up) can be sent again.',
  },
  // Blinded invoice fingerprints (services/trade/invoice-fingerprint.ts).
  fingerprint_not_configured: {
    retryable: false,
    description: 'This ledger runs without FINGERPRINT_KEY: it records and answers no invoice fingerprints.',
  },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;
export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];
