CREATE TABLE IF NOT EXISTS leaf (
  leaf_index INT8 PRIMARY KEY CHECK (leaf_index >= 0),
  event_id UUID NOT NULL UNIQUE,
  leaf_hash BYTEA NOT NULL CHECK (octet_length(leaf_hash) = 32)
)
