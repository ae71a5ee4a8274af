CREATE TABLE IF NOT EXISTS witness (
  id UUID PRIMARY KEY,
  party_id UUID NOT NULL CONSTRAINT witness_party_id_fkey REFERENCES party (id),
  name TEXT NOT NULL CONSTRAINT witness_name_key UNIQUE CONSTRAINT witness_name_check CHECK (char_length(name) BETWEEN 1 AND 100),
  public_key BYTEA NOT NULL CONSTRAINT witness_public_key_key UNIQUE CONSTRAINT witness_public_key_check CHECK (octet_length(public_key) = 32),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
