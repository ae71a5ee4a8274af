CREATE UNIQUE INDEX IF NOT EXISTS party_key_one_active ON party_key (party_id) WHERE status = 'active'
