/**
 * Every expected failure the ledger can report, in one closed list. Codes state a fact in snake_case;
 * `retryable` says whether the same request may succeed later without change.
 */
export const errorCatalogue = {
  invalid_input: { retryable: false, description: 'An input field is malformed or out of range.' },
  forbidden: { retryable: false, description: 'The caller may not do this.' },
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
  ref_not_found: { retryable: false, description: 'A referenced event does not exist.' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;
export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];
