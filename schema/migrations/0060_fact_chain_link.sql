CREATE TABLE IF NOT EXISTS fact_chain_link (
  chain_id UUID NOT NULL,
  position INT8 NOT NULL CHECK (position >= 0),
  event_id UUID NOT NULL UNIQUE REFERENCES event (id),
  event_hash BYTEA NOT NULL CHECK (octet_length(event_hash) = 32),
  PRIMARY KEY (chain_id, position)
)
