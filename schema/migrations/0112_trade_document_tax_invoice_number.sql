CREATE INDEX IF NOT EXISTS trade_document_tax_invoice_number ON trade_document (document_number) WHERE kind = 'invoice'
