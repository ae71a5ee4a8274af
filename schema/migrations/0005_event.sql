CREATE TABLE IF NOT EXISTS event (
  id UUID PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$'),
  actor_party_id UUID NOT NULL REFERENCES party (id),
  counterparty_party_id UUID REFERENCES party (id),
  key_id TEXT NOT NULL REFERENCES party_key (key_id),
  custodial BOOL NOT NULL,
  idempotency_key TEXT NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
  request_hash BYTEA NOT NULL CHECK (octet_length(request_hash) = 32),
  statement BYTEA NOT NULL,
  event_hash BYTEA NOT NULL UNIQUE CHECK (octet_length(event_hash) = 32),
  signature BYTEA NOT NULL CHECK (octet_length(signature) = 64),
  payload JSONB NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('millisecond', now()),
  UNIQUE (actor_party_id, idempotency_key)
)
