CREATE TABLE IF NOT EXISTS pending_admin_api_key (
  api_key_id UUID PRIMARY KEY REFERENCES api_key (id),
  sealed_secret BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
