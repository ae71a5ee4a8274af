CREATE INDEX IF NOT EXISTS receivable_claim_holder ON receivable (holder_party_id, currency, obligor_party_id) WHERE status IN ('open', 'partially_settled', 'defaulted')
