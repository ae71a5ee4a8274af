CREATE TABLE IF NOT EXISTS cosignature (
  tree_size INT8 NOT NULL CONSTRAINT cosignature_tree_size_fkey REFERENCES checkpoint (tree_size),
  witness_id UUID NOT NULL CONSTRAINT cosignature_witness_id_fkey REFERENCES witness (id),
  signature_line TEXT NOT NULL,
  cosigned_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (witness_id, tree_size)
)
