CREATE TABLE IF NOT EXISTS event (
  id UUID PRIMARY KEY,
  kind TEXT NOT NULL CONSTRAINT event_kind_check CHECK (kind ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$'),
  actor_party_id UUID NOT NULL CONSTRAINT event_actor_party_id_fkey REFERENCES party (id),
  counterparty_party_id UUID CONSTRAINT event_counterparty_party_id_fkey REFERENCES party (id),
  key_id TEXT NOT NULL CONSTRAINT event_key_id_fkey REFERENCES party_key (key_id),
  custodial BOOL NOT NULL,
  idempotency_key TEXT NOT NULL CONSTRAINT event_idempotency_key_check CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
  request_hash BYTEA NOT NULL CONSTRAINT event_request_hash_check CHECK (octet_length(request_hash) = 32),
  statement BYTEA NOT NULL,
  event_hash BYTEA NOT NULL CONSTRAINT event_event_hash_key UNIQUE CONSTRAINT event_event_hash_check CHECK (octet_length(event_hash) = 32),
  signature BYTEA NOT NULL CONSTRAINT event_signature_check CHECK (octet_length(signature) = 64),
  payload JSONB NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('millisecond', now()),
  CONSTRAINT event_actor_party_id_idempotency_key_key UNIQUE (actor_party_id, idempotency_key)
)
