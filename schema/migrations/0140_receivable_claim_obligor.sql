CREATE INDEX IF NOT EXISTS receivable_claim_obligor ON receivable (obligor_party_id, currency, holder_party_id) WHERE status IN ('open', 'partially_settled', 'defaulted')
