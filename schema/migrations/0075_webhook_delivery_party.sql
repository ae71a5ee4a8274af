CREATE INDEX IF NOT EXISTS webhook_delivery_party ON webhook_delivery (party_id, status, created_at, id)
