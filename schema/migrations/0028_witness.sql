CREATE TABLE IF NOT EXISTS witness (
  id UUID PRIMARY KEY,
  party_id UUID NOT NULL REFERENCES party (id),
  name TEXT NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 100),
  public_key BYTEA NOT NULL UNIQUE CHECK (octet_length(public_key) = 32),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
