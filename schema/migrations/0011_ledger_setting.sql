CREATE TABLE IF NOT EXISTS ledger_setting (
  name TEXT PRIMARY KEY CONSTRAINT ledger_setting_name_check CHECK (name ~ '^[a-z_]+$'),
  value TEXT NOT NULL
)
