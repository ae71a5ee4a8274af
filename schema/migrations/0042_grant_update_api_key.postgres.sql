GRANT UPDATE (revoked_at) ON api_key TO tradeproof_app
