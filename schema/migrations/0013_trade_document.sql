CREATE TABLE IF NOT EXISTS trade_document (
  id UUID PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('purchase_order', 'shipment', 'goods_receipt', 'invoice', 'credit_note')),
  event_id UUID NOT NULL UNIQUE REFERENCES event (id),
  buyer_party_id UUID NOT NULL REFERENCES party (id),
  seller_party_id UUID NOT NULL REFERENCES party (id),
  currency TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  document_number TEXT NOT NULL CHECK (char_length(document_number) BETWEEN 1 AND 100),
  document_date DATE NOT NULL,
  due_date DATE,
  total_minor INT8 CHECK (total_minor > 0),
  status TEXT NOT NULL CHECK (status IN ('recorded', 'issued', 'confirmed', 'cancellation_pending', 'cancelled')),
  body JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (buyer_party_id <> seller_party_id)
)
