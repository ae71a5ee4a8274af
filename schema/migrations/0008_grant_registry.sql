GRANT SELECT, INSERT, UPDATE ON party, party_key, api_key TO tradeproof_app
