CREATE TABLE IF NOT EXISTS credit_limit (
  lender_party_id UUID NOT NULL CONSTRAINT credit_limit_lender_party_id_fkey REFERENCES party (id),
  scope TEXT NOT NULL CONSTRAINT credit_limit_scope_check CHECK (scope IN ('obligor', 'group')),
  subject_party_id UUID NOT NULL CONSTRAINT credit_limit_subject_party_id_fkey REFERENCES party (id),
  currency TEXT NOT NULL CONSTRAINT credit_limit_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  limit_minor INT8 NOT NULL CONSTRAINT credit_limit_limit_minor_check CHECK (limit_minor >= 0),
  event_id UUID NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('millisecond', now()),
  CONSTRAINT credit_limit_pkey PRIMARY KEY (lender_party_id, scope, subject_party_id, currency)
)
