CREATE TABLE IF NOT EXISTS payment (
  id UUID PRIMARY KEY,
  invoice_id UUID NOT NULL CONSTRAINT payment_invoice_id_fkey REFERENCES trade_document (id),
  event_id UUID NOT NULL CONSTRAINT payment_event_id_key UNIQUE CONSTRAINT payment_event_id_fkey REFERENCES event (id),
  payer_party_id UUID NOT NULL CONSTRAINT payment_payer_party_id_fkey REFERENCES party (id),
  currency TEXT NOT NULL CONSTRAINT payment_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  amount_minor INT8 NOT NULL CONSTRAINT payment_amount_minor_check CHECK (amount_minor > 0),
  paid_on DATE NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
