CREATE TABLE IF NOT EXISTS payment_allocation (
  payment_id UUID NOT NULL CONSTRAINT payment_allocation_payment_id_fkey REFERENCES payment (id),
  receivable_id UUID NOT NULL CONSTRAINT payment_allocation_receivable_id_fkey REFERENCES receivable (id),
  holder_party_id UUID NOT NULL CONSTRAINT payment_allocation_holder_party_id_fkey REFERENCES party (id),
  amount_minor INT8 NOT NULL CONSTRAINT payment_allocation_amount_minor_check CHECK (amount_minor > 0),
  PRIMARY KEY (payment_id, receivable_id)
)
