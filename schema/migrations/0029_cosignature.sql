CREATE TABLE IF NOT EXISTS cosignature (
  tree_size INT8 NOT NULL REFERENCES checkpoint (tree_size),
  witness_id UUID NOT NULL REFERENCES witness (id),
  signature_line TEXT NOT NULL,
  cosigned_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (witness_id, tree_size)
)
