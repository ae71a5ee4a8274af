DROP INDEX IF EXISTS event_recorded, event_counterparty
