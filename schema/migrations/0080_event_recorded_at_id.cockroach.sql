CREATE INDEX IF NOT EXISTS event_recorded_at_id ON event (recorded_at, id) USING HASH
