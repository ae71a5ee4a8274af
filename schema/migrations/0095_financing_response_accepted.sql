CREATE UNIQUE INDEX IF NOT EXISTS financing_response_accepted ON financing_response (financing_id) WHERE status = 'accepted'
