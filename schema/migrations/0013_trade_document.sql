CREATE TABLE IF NOT EXISTS trade_document (
  id UUID PRIMARY KEY,
  kind TEXT NOT NULL CONSTRAINT trade_document_kind_check CHECK (kind IN ('purchase_order', 'shipment', 'goods_receipt', 'invoice', 'credit_note')),
  event_id UUID NOT NULL CONSTRAINT trade_document_event_id_key UNIQUE CONSTRAINT trade_document_event_id_fkey REFERENCES event (id),
  buyer_party_id UUID NOT NULL CONSTRAINT trade_document_buyer_party_id_fkey REFERENCES party (id),
  seller_party_id UUID NOT NULL CONSTRAINT trade_document_seller_party_id_fkey REFERENCES party (id),
  currency TEXT NOT NULL CONSTRAINT trade_document_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  document_number TEXT NOT NULL CONSTRAINT trade_document_document_number_check CHECK (char_length(document_number) BETWEEN 1 AND 100),
  document_date DATE NOT NULL,
  due_date DATE,
  total_minor INT8 CONSTRAINT trade_document_total_minor_check CHECK (total_minor > 0),
  status TEXT NOT NULL CONSTRAINT trade_document_status_check CHECK (status IN ('recorded', 'issued', 'confirmed', 'cancellation_pending', 'cancelled')),
  body JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT trade_document_check CHECK (buyer_party_id <> seller_party_id)
)
