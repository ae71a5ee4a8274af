ALTER TABLE webhook_delivery
  DROP CONSTRAINT IF EXISTS webhook_delivery_event_type_check,
  ADD CONSTRAINT webhook_delivery_event_type_check CHECK (event_type IN ('invoice_awaiting_confirmation', 'receivable_received', 'payment_allocated', 'receivable_due_soon', 'receivable_overdue', 'financing_alert'))
