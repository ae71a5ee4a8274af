CREATE TABLE IF NOT EXISTS webhook_delivery (
  id UUID PRIMARY KEY,
  webhook_id UUID NOT NULL REFERENCES webhook (id),
  party_id UUID NOT NULL REFERENCES party (id),
  event_type TEXT NOT NULL CHECK (event_type IN ('invoice_awaiting_confirmation', 'receivable_received', 'payment_allocated', 'receivable_due_soon', 'receivable_overdue')),
  dedupe_key TEXT NOT NULL CHECK (char_length(dedupe_key) BETWEEN 1 AND 200),
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INT8 NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TIMESTAMPTZ NOT NULL,
  last_attempt_at TIMESTAMPTZ,
  last_status_code INT8,
  last_error TEXT,
  delivered_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('millisecond', now()),
  UNIQUE (webhook_id, dedupe_key)
)
