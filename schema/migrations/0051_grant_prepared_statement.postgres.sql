GRANT SELECT, INSERT, UPDATE (statement, event_hash, prepared_at) ON prepared_statement TO tradeproof_app
