CREATE TABLE IF NOT EXISTS trade_document_ref (
  document_id UUID NOT NULL REFERENCES trade_document (id),
  ref_document_id UUID NOT NULL REFERENCES trade_document (id),
  PRIMARY KEY (document_id, ref_document_id),
  CHECK (document_id <> ref_document_id)
)
