CREATE INDEX IF NOT EXISTS trade_document_parties ON trade_document (buyer_party_id, seller_party_id, kind)
