CREATE INDEX IF NOT EXISTS receivable_tree ON receivable (invoice_id, parent_id)
