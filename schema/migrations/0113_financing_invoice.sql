CREATE INDEX IF NOT EXISTS financing_invoice ON financing (invoice_id)
