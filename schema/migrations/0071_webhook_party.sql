CREATE INDEX IF NOT EXISTS webhook_party ON webhook (party_id, id)
