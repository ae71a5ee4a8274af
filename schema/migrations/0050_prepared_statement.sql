CREATE TABLE IF NOT EXISTS prepared_statement (
  actor_party_id UUID NOT NULL CONSTRAINT prepared_statement_actor_party_id_fkey REFERENCES party (id),
  idempotency_key TEXT NOT NULL CONSTRAINT prepared_statement_idempotency_key_check CHECK (char_length(idempotency_key) BETWEEN 1 AND 128),
  statement BYTEA NOT NULL,
  event_hash BYTEA NOT NULL CONSTRAINT prepared_statement_event_hash_check CHECK (octet_length(event_hash) = 32),
  prepared_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (actor_party_id, idempotency_key)
)
