CREATE TABLE IF NOT EXISTS checkpoint (
  tree_size INT8 PRIMARY KEY CONSTRAINT checkpoint_tree_size_check CHECK (tree_size >= 0),
  root_hash BYTEA NOT NULL CONSTRAINT checkpoint_root_hash_check CHECK (octet_length(root_hash) = 32),
  note TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
