CREATE TABLE IF NOT EXISTS party_key (
  key_id TEXT PRIMARY KEY CONSTRAINT party_key_key_id_check CHECK (key_id ~ '^[0-9a-f]{64}$'),
  party_id UUID NOT NULL CONSTRAINT party_key_party_id_fkey REFERENCES party (id),
  public_key BYTEA NOT NULL CONSTRAINT party_key_public_key_check CHECK (octet_length(public_key) = 32),
  status TEXT NOT NULL CONSTRAINT party_key_status_check CHECK (status IN ('active', 'rotated', 'revoked')),
  sealed_private_key BYTEA,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  retired_at TIMESTAMPTZ,
  CONSTRAINT party_key_check CHECK ((status = 'active') = (retired_at IS NULL))
)
