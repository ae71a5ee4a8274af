CREATE INDEX IF NOT EXISTS event_counterparty ON event (counterparty_party_id, recorded_at, id)
