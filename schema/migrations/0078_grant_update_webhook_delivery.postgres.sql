GRANT UPDATE (status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_error, delivered_at) ON webhook_delivery TO tradeproof_app
