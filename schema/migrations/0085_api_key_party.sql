CREATE INDEX IF NOT EXISTS api_key_party ON api_key (party_id)
