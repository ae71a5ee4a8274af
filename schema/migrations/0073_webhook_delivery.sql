CREATE TABLE IF NOT EXISTS webhook_delivery (
  id UUID PRIMARY KEY,
  webhook_id UUID NOT NULL CONSTRAINT webhook_delivery_webhook_id_fkey REFERENCES webhook (id),
  party_id UUID NOT NULL CONSTRAINT webhook_delivery_party_id_fkey REFERENCES party (id),
  event_type TEXT NOT NULL CONSTRAINT webhook_delivery_event_type_check CHECK (event_type IN ('invoice_awaiting_confirmation', 'receivable_received', 'payment_allocated', 'receivable_due_soon', 'receivable_overdue')),
  dedupe_key TEXT NOT NULL CONSTRAINT webhook_delivery_dedupe_key_check CHECK (char_length(dedupe_key) BETWEEN 1 AND 200),
  body TEXT NOT NULL,
  status TEXT NOT NULL CONSTRAINT webhook_delivery_status_check CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INT8 NOT NULL DEFAULT 0 CONSTRAINT webhook_delivery_attempts_check CHECK (attempts >= 0),
  next_attempt_at TIMESTAMPTZ NOT NULL,
  last_attempt_at TIMESTAMPTZ,
  last_status_code INT8,
  last_error TEXT,
  delivered_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('millisecond', now()),
  CONSTRAINT webhook_delivery_webhook_id_dedupe_key_key UNIQUE (webhook_id, dedupe_key)
)
