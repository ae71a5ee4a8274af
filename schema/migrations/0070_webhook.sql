CREATE TABLE IF NOT EXISTS webhook (
  id UUID PRIMARY KEY,
  party_id UUID NOT NULL CONSTRAINT webhook_party_id_fkey REFERENCES party (id),
  url TEXT NOT NULL CONSTRAINT webhook_url_check CHECK (char_length(url) BETWEEN 1 AND 2048),
  event_types TEXT[] NOT NULL CONSTRAINT webhook_event_types_check CHECK (
    array_length(event_types, 1) >= 1
    AND event_types <@ ARRAY['invoice_awaiting_confirmation', 'receivable_received', 'payment_allocated', 'receivable_due_soon', 'receivable_overdue']::TEXT[]
  ),
  due_in_days INT8 CONSTRAINT webhook_due_in_days_check CHECK (due_in_days BETWEEN 1 AND 365),
  sealed_secret BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  removed_at TIMESTAMPTZ
)
