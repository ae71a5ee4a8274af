CREATE TABLE IF NOT EXISTS financing_lender (
  financing_id UUID NOT NULL CONSTRAINT financing_lender_financing_id_fkey REFERENCES financing (id),
  lender_party_id UUID NOT NULL CONSTRAINT financing_lender_lender_party_id_fkey REFERENCES party (id),
  CONSTRAINT financing_lender_pkey PRIMARY KEY (financing_id, lender_party_id)
)
