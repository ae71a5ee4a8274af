CREATE TABLE IF NOT EXISTS leaf (
  leaf_index INT8 PRIMARY KEY CONSTRAINT leaf_leaf_index_check CHECK (leaf_index >= 0),
  event_id UUID NOT NULL CONSTRAINT leaf_event_id_key UNIQUE,
  leaf_hash BYTEA NOT NULL CONSTRAINT leaf_leaf_hash_check CHECK (octet_length(leaf_hash) = 32)
)
