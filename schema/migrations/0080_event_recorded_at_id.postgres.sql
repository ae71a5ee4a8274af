ALTER INDEX IF EXISTS event_recorded RENAME TO event_recorded_at_id
