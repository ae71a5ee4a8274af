GRANT UPDATE ON api_key TO tradeproof_app
