CREATE INDEX IF NOT EXISTS trade_document_created ON trade_document (created_at, id) USING HASH
