CREATE TABLE IF NOT EXISTS webhook_request (
  party_id UUID NOT NULL CONSTRAINT webhook_request_party_id_fkey REFERENCES party (id),
  idempotency_key TEXT NOT NULL CONSTRAINT webhook_request_idempotency_key_check CHECK (char_length(idempotency_key) BETWEEN 1 AND 128),
  operation TEXT NOT NULL CONSTRAINT webhook_request_operation_check CHECK (operation IN ('register', 'remove', 'redeliver')),
  request_hash BYTEA NOT NULL CONSTRAINT webhook_request_request_hash_check CHECK (octet_length(request_hash) = 32),
  subject_id UUID NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (party_id, idempotency_key)
)
