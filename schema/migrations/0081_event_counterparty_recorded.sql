CREATE INDEX IF NOT EXISTS event_counterparty_recorded ON event (counterparty_party_id, recorded_at, id) WHERE counterparty_party_id IS NOT NULL
