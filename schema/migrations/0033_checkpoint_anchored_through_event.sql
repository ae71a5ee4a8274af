ALTER TABLE checkpoint ADD COLUMN IF NOT EXISTS anchored_through_event UUID
