CREATE INDEX IF NOT EXISTS receivable_obligor ON receivable (obligor_party_id, id)
