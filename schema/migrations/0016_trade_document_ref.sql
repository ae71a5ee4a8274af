CREATE TABLE IF NOT EXISTS trade_document_ref (
  document_id UUID NOT NULL CONSTRAINT trade_document_ref_document_id_fkey REFERENCES trade_document (id),
  ref_document_id UUID NOT NULL CONSTRAINT trade_document_ref_ref_document_id_fkey REFERENCES trade_document (id),
  PRIMARY KEY (document_id, ref_document_id),
  CONSTRAINT trade_document_ref_check CHECK (document_id <> ref_document_id)
)
