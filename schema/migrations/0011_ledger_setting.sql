CREATE TABLE IF NOT EXISTS ledger_setting (
  name TEXT PRIMARY KEY CHECK (name ~ '^[a-z_]+$'),
  value TEXT NOT NULL
)
