CREATE INDEX IF NOT EXISTS payment_payer_created ON payment (payer_party_id, currency, created_at, id)
