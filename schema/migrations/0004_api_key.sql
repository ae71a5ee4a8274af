CREATE TABLE IF NOT EXISTS api_key (
  id UUID PRIMARY KEY,
  party_id UUID NOT NULL REFERENCES party (id),
  label TEXT NOT NULL CHECK (char_length(label) BETWEEN 1 AND 100),
  secret_hash BYTEA NOT NULL UNIQUE CHECK (octet_length(secret_hash) = 32),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  revoked_at TIMESTAMPTZ
)
