CREATE INDEX IF NOT EXISTS event_recorded ON event (recorded_at, id)
