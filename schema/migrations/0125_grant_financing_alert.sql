GRANT SELECT, INSERT ON financing_alert TO tradeproof_app
