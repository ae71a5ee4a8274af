CREATE INDEX IF NOT EXISTS receivable_holder ON receivable (holder_party_id, id)
