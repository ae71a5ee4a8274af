GRANT UPDATE (limit_minor, event_id, updated_at) ON credit_limit TO tradeproof_app
