GRANT SELECT, INSERT ON event TO tradeproof_app
