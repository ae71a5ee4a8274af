GRANT SELECT, INSERT ON invoice_fingerprint TO tradeproof_app
