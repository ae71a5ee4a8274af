GRANT UPDATE ON credit_limit TO tradeproof_app
