CREATE TABLE IF NOT EXISTS financing_alert (
  id UUID NOT NULL,
  financing_id UUID NOT NULL CONSTRAINT financing_alert_financing_id_fkey REFERENCES financing (id),
  lender_party_id UUID NOT NULL CONSTRAINT financing_alert_lender_party_id_fkey REFERENCES party (id),
  event_id UUID NOT NULL,
  kind TEXT NOT NULL CONSTRAINT financing_alert_kind_check CHECK (kind IN ('invoice_cancelled', 'credit_note_issued', 'on_hold', 'defaulted')),
  created_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('millisecond', now()),
  CONSTRAINT financing_alert_pkey PRIMARY KEY (id),
  CONSTRAINT financing_alert_financing_id_event_id_key UNIQUE (financing_id, event_id)
)
