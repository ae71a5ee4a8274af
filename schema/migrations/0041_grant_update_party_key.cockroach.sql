GRANT UPDATE ON party_key TO tradeproof_app
