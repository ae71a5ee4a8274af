CREATE INDEX IF NOT EXISTS financing_receivable ON financing (receivable_id)
