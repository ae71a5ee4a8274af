CREATE INDEX IF NOT EXISTS financing_alert_lender ON financing_alert (lender_party_id, created_at, id)
