CREATE UNIQUE INDEX IF NOT EXISTS financing_receivable_open ON financing (receivable_id) WHERE status IN ('requested', 'offered', 'accepted')
