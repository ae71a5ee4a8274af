CREATE TABLE IF NOT EXISTS party_key (
  key_id TEXT PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{64}$'),
  party_id UUID NOT NULL REFERENCES party (id),
  public_key BYTEA NOT NULL CHECK (octet_length(public_key) = 32),
  status TEXT NOT NULL CHECK (status IN ('active', 'rotated', 'revoked')),
  sealed_private_key BYTEA,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  retired_at TIMESTAMPTZ,
  CHECK ((status = 'active') = (retired_at IS NULL))
)
