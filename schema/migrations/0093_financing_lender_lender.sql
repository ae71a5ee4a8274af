CREATE INDEX IF NOT EXISTS financing_lender_lender ON financing_lender (lender_party_id, financing_id)
