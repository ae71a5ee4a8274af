CREATE TABLE IF NOT EXISTS pending_admin_api_key (
  api_key_id UUID PRIMARY KEY CONSTRAINT pending_admin_api_key_api_key_id_fkey REFERENCES api_key (id),
  sealed_secret BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
