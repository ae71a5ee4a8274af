GRANT SELECT, INSERT, UPDATE ON prepared_statement TO tradeproof_app
