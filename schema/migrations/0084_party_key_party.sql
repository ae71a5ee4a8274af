CREATE INDEX IF NOT EXISTS party_key_party ON party_key (party_id)
