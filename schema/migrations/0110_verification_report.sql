CREATE TABLE IF NOT EXISTS verification_report (
  hash TEXT NOT NULL CONSTRAINT verification_report_hash_check CHECK (hash ~ '^[0-9a-f]{64}$'),
  receivable_id UUID NOT NULL CONSTRAINT verification_report_receivable_id_fkey REFERENCES receivable (id),
  body TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('millisecond', now()),
  CONSTRAINT verification_report_pkey PRIMARY KEY (hash)
)
