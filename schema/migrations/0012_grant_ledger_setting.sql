GRANT SELECT, INSERT ON ledger_setting TO tradeproof_app
