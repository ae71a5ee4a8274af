CREATE INDEX IF NOT EXISTS financing_holder_created ON financing (holder_party_id, created_at, id)
