CREATE INDEX IF NOT EXISTS event_actor_recorded ON event (actor_party_id, recorded_at, id)
