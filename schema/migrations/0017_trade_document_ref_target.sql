CREATE INDEX IF NOT EXISTS trade_document_ref_target ON trade_document_ref (ref_document_id)
