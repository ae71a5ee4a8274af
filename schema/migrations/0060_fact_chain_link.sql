CREATE TABLE IF NOT EXISTS fact_chain_link (
  chain_id UUID NOT NULL,
  position INT8 NOT NULL CONSTRAINT fact_chain_link_position_check CHECK (position >= 0),
  event_id UUID NOT NULL CONSTRAINT fact_chain_link_event_id_key UNIQUE CONSTRAINT fact_chain_link_event_id_fkey REFERENCES event (id),
  event_hash BYTEA NOT NULL CONSTRAINT fact_chain_link_event_hash_check CHECK (octet_length(event_hash) = 32),
  PRIMARY KEY (chain_id, position)
)
