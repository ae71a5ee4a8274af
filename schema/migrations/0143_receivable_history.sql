CREATE TABLE IF NOT EXISTS receivable_history (
  receivable_id UUID NOT NULL CONSTRAINT receivable_history_receivable_id_fkey REFERENCES receivable (id),
  version INT8 NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  status TEXT NOT NULL,
  outstanding_minor INT8 NOT NULL,
  on_hold BOOL NOT NULL,
  CONSTRAINT receivable_history_pkey PRIMARY KEY (receivable_id, version)
)
