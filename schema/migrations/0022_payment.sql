CREATE TABLE IF NOT EXISTS payment (
  id UUID PRIMARY KEY,
  invoice_id UUID NOT NULL REFERENCES trade_document (id),
  event_id UUID NOT NULL UNIQUE REFERENCES event (id),
  payer_party_id UUID NOT NULL REFERENCES party (id),
  currency TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount_minor INT8 NOT NULL CHECK (amount_minor > 0),
  paid_on DATE NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
