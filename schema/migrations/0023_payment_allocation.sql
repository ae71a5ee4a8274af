CREATE TABLE IF NOT EXISTS payment_allocation (
  payment_id UUID NOT NULL REFERENCES payment (id),
  receivable_id UUID NOT NULL REFERENCES receivable (id),
  holder_party_id UUID NOT NULL REFERENCES party (id),
  amount_minor INT8 NOT NULL CHECK (amount_minor > 0),
  PRIMARY KEY (payment_id, receivable_id)
)
