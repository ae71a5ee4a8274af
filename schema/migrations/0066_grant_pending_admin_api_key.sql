GRANT SELECT, INSERT, DELETE ON pending_admin_api_key TO tradeproof_app
