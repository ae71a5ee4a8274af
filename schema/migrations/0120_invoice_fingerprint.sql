CREATE TABLE IF NOT EXISTS invoice_fingerprint (
  invoice_id UUID NOT NULL CONSTRAINT invoice_fingerprint_invoice_id_fkey REFERENCES trade_document (id),
  fingerprint TEXT NOT NULL CONSTRAINT invoice_fingerprint_fingerprint_check CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  created_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('millisecond', now()),
  CONSTRAINT invoice_fingerprint_pkey PRIMARY KEY (invoice_id)
)
