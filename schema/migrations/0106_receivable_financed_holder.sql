CREATE INDEX IF NOT EXISTS receivable_financed_holder ON receivable (holder_party_id, obligor_party_id, currency) WHERE financed_by IS NOT NULL
