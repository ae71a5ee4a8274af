CREATE TABLE IF NOT EXISTS api_key (
  id UUID PRIMARY KEY,
  party_id UUID NOT NULL CONSTRAINT api_key_party_id_fkey REFERENCES party (id),
  label TEXT NOT NULL CONSTRAINT api_key_label_check CHECK (char_length(label) BETWEEN 1 AND 100),
  secret_hash BYTEA NOT NULL CONSTRAINT api_key_secret_hash_key UNIQUE CONSTRAINT api_key_secret_hash_check CHECK (octet_length(secret_hash) = 32),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  revoked_at TIMESTAMPTZ
)
