CREATE INDEX IF NOT EXISTS invoice_fingerprint_fingerprint ON invoice_fingerprint (fingerprint)
