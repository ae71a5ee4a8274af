CREATE TABLE IF NOT EXISTS prepared_statement (
  actor_party_id UUID NOT NULL REFERENCES party (id),
  idempotency_key TEXT NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 128),
  statement BYTEA NOT NULL,
  event_hash BYTEA NOT NULL CHECK (octet_length(event_hash) = 32),
  prepared_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (actor_party_id, idempotency_key)
)
