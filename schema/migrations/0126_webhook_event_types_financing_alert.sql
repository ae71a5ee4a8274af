ALTER TABLE webhook
  DROP CONSTRAINT IF EXISTS webhook_event_types_check,
  ADD CONSTRAINT webhook_event_types_check CHECK (
    array_length(event_types, 1) >= 1
    AND event_types <@ ARRAY['invoice_awaiting_confirmation', 'receivable_received', 'payment_allocated', 'receivable_due_soon', 'receivable_overdue', 'financing_alert']::TEXT[]
  )
