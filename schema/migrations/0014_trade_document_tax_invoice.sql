CREATE UNIQUE INDEX IF NOT EXISTS trade_document_tax_invoice ON trade_document (seller_party_id, document_number) WHERE kind = 'invoice'
